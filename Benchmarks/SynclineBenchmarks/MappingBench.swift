import ArgumentParser
import Foundation
import SynclineCore
import SynclineProviders

/// `syncline-bench mapping --records 1000000`: a 15-field ticket mapping with 3 transforms per field applied to
/// synthetic HaloPSA-like records on one task, in memory (no I/O): the mapping step's own cost per record.
struct MappingBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mapping")

    @Option(help: "How many records to map.") var records = 1_000_000
    @Option(help: "How many distinct synthetic records to cycle through.") var distinct = 1000
    @Option(
        help: """
            standard: the ticket mapping; trivial: the same 15 fields, each through 3 null_if_empty steps that do \
            not trim, into a model typed like the raw values (the mapping engine's own cost); halopsa-clients: the \
            bundled default mapping of HaloPSA clients, as imports use it
            """
    )
    var pipeline = "standard"

    func validate() throws {
        guard records > 0, distinct > 0 else { throw ValidationError("--records and --distinct must be positive") }
        guard ["standard", "trivial", "halopsa-clients"].contains(pipeline) else {
            throw ValidationError("--pipeline must be standard, trivial or halopsa-clients")
        }
    }

    func run() throws {
        let definition: Mapping
        let inputs: [JSONValue]
        switch pipeline {
        case "trivial":
            (definition, inputs) = (MappingBenchData.trivialMapping, (0..<distinct).map(MappingBenchData.record))
        case "halopsa-clients":
            // The default mapping as the provider file ships it, so the figure follows that file.
            guard let clients = try ProviderCatalog.load().provider(slug: "halopsa")?.entityType(named: "clients"),
                let fallback = clients.defaultMapping
            else { throw ValidationError("the bundled halopsa provider has no clients mapping") }
            (definition, inputs) = (fallback, (0..<distinct).map(MappingBenchData.client))
        default: (definition, inputs) = (MappingBenchData.mapping, (0..<distinct).map(MappingBenchData.record))
        }
        let mapping = try CompiledMapping(definition, models: ModelCatalog.unified.adding([MappingBenchData.rawModel]))
        // Warm up (first-use costs of time zones and string tables), then measure.
        for input in inputs { _ = mapping.apply(input) }
        var failed = 0
        var warnings = 0
        var fields = 0
        // Read once: an option's getter looks up its generic type on every call, which cost 2 % of the loop.
        let count = records
        let cycle = distinct
        let residentBefore = Self.residentBytes()
        // Timed in slices as well as whole: this machine's speed changes by up to two times within minutes (other
        // tenants), and the fastest slices show what the code costs when nothing else slows it down.
        let sliceSize = max(1, count / 50)
        var sliceNanos: [Double] = []
        let started = ContinuousClock.now
        var sliceStarted = started
        for index in 0..<count {
            let mapped = mapping.apply(inputs[index % cycle])
            if mapped.failed { failed += 1 }
            warnings += mapped.warnings.count
            fields += mapped.value.count
            if (index + 1) % sliceSize == 0 {
                let now = ContinuousClock.now
                sliceNanos.append(seconds(now - sliceStarted) * 1e9 / Double(sliceSize))
                sliceStarted = now
            }
        }
        let elapsed = seconds(ContinuousClock.now - started)
        sliceNanos.sort()
        let growth = Self.residentBytes() - residentBefore
        let transforms = definition.rules.reduce(0) { $0 + $1.transforms.count }
        print(
            "mapping \(pipeline): \(records) records (\(definition.rules.count) fields, \(transforms) transforms) in "
                + String(format: "%.2f", elapsed) + " s = " + String(format: "%.0f", Double(records) / elapsed)
                + " records/s on one task; " + String(format: "%.0f", elapsed / Double(records) * 1e9)
                + " ns per record; \(failed) failed, \(warnings) warnings, \(fields) fields written; resident memory "
                + String(format: "%+.1f", Double(growth) / 1_048_576) + " MB"
        )
        if let fastest = sliceNanos.first {
            let median = sliceNanos[sliceNanos.count / 2]
            print(
                "slices of \(sliceSize): fastest " + String(format: "%.0f", fastest) + " ns per record ("
                    + String(format: "%.0f", 1e9 / fastest) + " records/s), median " + String(format: "%.0f", median)
                    + " ns (" + String(format: "%.0f", 1e9 / median) + " records/s)"
            )
        }
        // The release build is where a leak can hide (the optimizer made one that debug builds did not have), so
        // this run refuses to report a figure from a mapping that keeps memory.
        if growth > 32 * count {
            throw ValidationError("resident memory grew by \(growth / count) bytes per record: mapping leaks memory")
        }
    }

    /// The process's resident memory from /proc/self/statm (0 where there is none, which disables the check).
    private static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }
}
