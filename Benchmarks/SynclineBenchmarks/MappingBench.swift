import ArgumentParser
import Foundation
import SynclineCore

/// `syncline-bench mapping --records 1000000`: a 15-field ticket mapping with 3 transforms per field applied to
/// synthetic HaloPSA-like records on one task, in memory (no I/O): the mapping step's own cost per record.
struct MappingBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mapping")

    @Option(help: "How many records to map.") var records = 1_000_000
    @Option(help: "How many distinct synthetic records to cycle through.") var distinct = 1000
    @Option(
        help: """
            standard: the ticket mapping; trivial: the same 15 fields, each through 3 null_if_empty steps that do \
            not trim, into a model typed like the raw values (the mapping engine's own cost)
            """
    )
    var pipeline = "standard"

    func validate() throws {
        guard records > 0, distinct > 0 else { throw ValidationError("--records and --distinct must be positive") }
        guard ["standard", "trivial"].contains(pipeline) else {
            throw ValidationError("--pipeline must be standard or trivial")
        }
    }

    func run() throws {
        let definition = pipeline == "trivial" ? Self.trivialMapping : Self.mapping
        let mapping = try CompiledMapping(definition, models: ModelCatalog.unified.adding([Self.rawModel]))
        let inputs = (0..<distinct).map(Self.record)
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

    private static func step(_ name: String, _ arguments: [String: JSONValue] = [:]) -> TransformStep {
        TransformStep(name, arguments: arguments)
    }

    private static func rule(_ source: String, _ target: String, _ steps: [TransformStep], required: Bool = false)
        -> MappingRule
    {
        MappingRule(source: source, target: target, transforms: steps, required: required)
    }

    /// A reference: a HaloPSA number id where 0 means none, as unified text.
    private static func reference(_ source: String, _ target: String) -> MappingRule {
        rule(source, target, [step("to_integer"), step("value_map", ["map": ["0": nil]]), step("to_string")])
    }

    static let mapping = Mapping(
        model: "ticket",
        rules: [
            rule("id", "id", [step("to_integer"), step("to_string"), step("null_if_empty")], required: true),
            rule("ref", "number", [step("trim"), step("upper"), step("null_if_empty")]),
            rule(
                "summary",
                "summary",
                [step("trim"), step("null_if_empty"), step("truncate", ["length": 200])],
                required: true
            ),
            rule("details", "description", [step("trim"), step("null_if_empty"), step("truncate", ["length": 2000])]),
            rule(
                "status_id",
                "status",
                [
                    step("to_integer"), step("to_string"),
                    step(
                        "value_map",
                        ["map": ["1": "new", "2": "open", "3": "open", "4": "pending", "5": "on_hold", "9": "closed"]]
                    ),
                ]
            ),
            rule(
                "priority_name",
                "priority",
                [
                    step("trim"), step("lower"),
                    step(
                        "value_map",
                        ["map": ["urgent": "critical", "high": "high", "low": "low"], "default": "medium"]
                    ),
                ]
            ),
            rule("type", "type", [step("trim"), step("lower"), step("null_if_empty")]),
            rule("categories[0].name", "category", [step("trim"), step("title_case"), step("null_if_empty")]),
            reference("client_id", "company_id"),
            reference("site.id", "site_id"),
            reference("user.id", "contact_id"),
            reference("agent_id", "agent_id"),
            rule("team", "team", [step("trim"), step("null_if_empty"), step("default", ["value": "Unassigned"])]),
            rule("created", "created_at", [step("trim"), step("null_if_empty"), step("parse_date")]),
            rule(
                "updated_unix",
                "updated_at",
                [step("to_number"), step("unix_seconds_to_iso"), step("null_if_empty")]
            ),
        ]
    )

    /// The sources of `mapping` and the types of their raw values, for the trivial pipeline.
    static let rawFields: [(source: String, target: String, type: ModelFieldType)] = [
        ("id", "id", .number), ("ref", "number", .string), ("summary", "summary", .string),
        ("details", "description", .string), ("status_id", "status", .number),
        ("priority_name", "priority", .string), ("type", "type", .string),
        ("categories[0].name", "category", .string), ("client_id", "company_id", .number),
        ("site.id", "site_id", .number), ("user.id", "contact_id", .string), ("agent_id", "agent_id", .string),
        ("team", "team", .string), ("created", "created_at", .string), ("updated_unix", "updated_at", .number),
    ]

    static let rawModel = EntityModel(
        name: "bench_raw",
        fields: rawFields.map { ModelField(name: $0.target, type: $0.type, required: $0.target == "id") }
    )

    static let trivialMapping = Mapping(
        model: "bench_raw",
        rules: rawFields.map { field in
            rule(field.source, field.target, Array(repeating: step("null_if_empty", ["trim": false]), count: 3))
        }
    )

    /// A HaloPSA-like ticket: stray whitespace, ids as numbers or numeric text, 0 for "none", a few fields missing.
    static func record(_ index: Int) -> JSONValue {
        let priorities = ["Urgent", " high", "Medium ", "low", "Normal"]
        let types = ["Incident", "Service Request", " Problem ", "Change"]
        let teams = ["1st Line Support", "2nd Line Support", "  ", "Projects"]
        let created = 1_700_000_000 + index * 3_617
        var members: [String: JSONValue] = [
            "id": .number(Double(index + 1)),
            "ref": .string(" t-\(100_000 + index) "),
            "summary": .string("  Printer on floor \(index % 7) is offline \n"),
            "details": .string("The user reports that the printer shows error \(index % 13). Restarted twice."),
            "status_id": .number(Double([1, 2, 3, 4, 5, 9][index % 6])),
            "priority_name": .string(priorities[index % priorities.count]),
            "type": .string(types[index % types.count]),
            "categories": [["name": .string(index % 3 == 0 ? "hardware" : "software licences")]],
            "client_id": .number(Double(index % 11)),
            "site": ["id": .number(Double(index % 17 + 1)), "name": "Head Office"],
            "user": ["id": .string(String(index % 29))],
            "agent_id": .string(String(index % 5)),
            "team": .string(teams[index % teams.count]),
            "created": .string(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(created)))),
            "updated_unix": .number(Double(created + 86_400)),
        ]
        if index % 10 == 0 { members["details"] = nil }
        return .object(members)
    }
}
