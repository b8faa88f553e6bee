#if os(Linux)
import Foundation
import SynclineCore
import Testing

/// The compiled mapping moves values from step to step without reference counting, which is easy to get wrong in
/// a way no result shows: an early version leaked every value a step made (in release builds only; the mapping
/// benchmark checks those). This watches the process's resident memory instead.
@Suite("Mappings keep no memory")
struct MappingMemoryTests {
    private static func step(_ name: String, _ arguments: [String: JSONValue] = [:]) -> TransformStep {
        TransformStep(name, arguments: arguments)
    }

    /// Rules whose steps each make a new value longer than a small string, then pass it on to the next step.
    private static let mapping = Mapping(
        model: "contact",
        rules: [
            MappingRule(
                source: "id",
                target: "id",
                transforms: [step("to_integer"), step("to_string")],
                required: true
            ),
            MappingRule(
                source: "name",
                target: "name",
                transforms: [step("trim"), step("upper"), step("lower"), step("null_if_empty")]
            ),
            MappingRule(
                source: "title",
                target: "job_title",
                transforms: [step("trim"), step("title_case"), step("truncate", ["length": 30])]
            ),
            MappingRule(
                source: "created",
                target: "created_at",
                transforms: [step("to_number"), step("unix_seconds_to_iso"), step("null_if_empty")]
            ),
        ]
    )

    private static func record(_ index: Int) -> JSONValue {
        [
            "id": .string(" \(index) "),
            "name": .string("   Ada Lovelace of the Analytical Engine \(index)   "),
            "title": .string("  principal engineer for difference engines  "),
            "created": .number(Double(1_700_000_000 + index)),
        ]
    }

    /// The process's resident memory, from /proc/self/statm.
    private static func residentBytes() throws -> Int {
        let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        return try #require(fields.count > 1 ? Int(fields[1]) : nil) * 4096
    }

    @Test("mapping 40,000 records through steps that make new values leaves resident memory as it was")
    func noGrowth() throws {
        let compiled = try CompiledMapping(Self.mapping)
        let inputs = (0..<100).map(Self.record)
        for input in inputs { #expect(!compiled.apply(input).failed) }
        // A leak of the three values each record's steps make is 40,000 × 3 × at least 48 bytes, over 5 MB. Other
        // tests run at the same time and use memory too, so the best of three attempts counts.
        var growths: [Int] = []
        for _ in 0..<3 {
            let before = try Self.residentBytes()
            var fields = 0
            for index in 0..<40_000 { fields += compiled.apply(inputs[index % inputs.count]).value.count }
            #expect(fields == 40_000 * 4)
            growths.append(try Self.residentBytes() - before)
            if growths.last ?? .max < 2_000_000 { break }
        }
        #expect((growths.min() ?? .max) < 2_000_000, "resident memory growth per attempt: \(growths)")
    }
}
#endif
