import SynclineCore

// Maps `records` records through the mapping benchmark's mapping, cycling through `distinct` of them, so that
// callgrind can count the instructions of `CompiledMapping.apply` (run.sh passes the arguments).
let arguments = CommandLine.arguments
let pipeline = arguments.count > 1 ? arguments[1] : "standard"
let records = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000
let distinct = arguments.count > 3 ? Int(arguments[3]) ?? 1000 : 1000
let definition = pipeline == "trivial" ? MappingBenchData.trivialMapping : MappingBenchData.mapping
let mapping = try CompiledMapping(definition, models: ModelCatalog.unified.adding([MappingBenchData.rawModel]))
let inputs = (0..<distinct).map(MappingBenchData.record)
var fields = 0
var failed = 0
for index in 0..<records {
    let mapped = mapping.apply(inputs[index % distinct])
    fields += mapped.value.count
    if mapped.failed { failed += 1 }
}
print("mapping \(pipeline): \(records) records, \(fields) fields written, \(failed) failed")
