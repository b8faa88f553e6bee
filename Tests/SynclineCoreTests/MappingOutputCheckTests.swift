import Foundation
import SynclineCore
import Testing

/// A compiled mapping skips the per-record type check where validation proved the output fits (timestamps from the
/// standard date transforms, a value map's checked constants). These compare such a mapping with the same one
/// ending in a pass-through transform the validator does not know, which keeps the check: any difference means a
/// check was skipped that would have caught something.
@Suite("Mappings: outputs proven to fit are not checked again")
struct MappingOutputCheckTests {
    /// The standard registry plus `opaque`, a pass-through whose output the validator cannot know.
    private static let registry = TransformRegistry.standard.adding(
        TransformDefinition(
            spec: TransformSpec(
                name: "opaque",
                summary: "Passes the value through.",
                input: "any",
                example: .init(input: "a", output: "a")
            )
        ) { _ in Transform.Implementation(forward: { value, _ in value }) }
    )

    private static func step(_ name: String, _ arguments: [String: JSONValue] = [:]) -> TransformStep {
        TransformStep(name, arguments: arguments)
    }

    /// A ticket mapping with `id` and one rule, and the same rule with `opaque` appended.
    private static func pair(_ source: String, _ target: String, _ steps: [TransformStep]) throws -> (
        proven: CompiledMapping, checked: CompiledMapping
    ) {
        func mapping(_ steps: [TransformStep]) -> Mapping {
            Mapping(
                model: "ticket",
                rules: [
                    MappingRule(source: "id", target: "id", transforms: [step("to_string")], required: true),
                    MappingRule(source: "summary", target: "summary", required: true),
                    MappingRule(source: source, target: target, transforms: steps),
                ]
            )
        }
        return (
            try CompiledMapping(mapping(steps), registry: registry),
            try CompiledMapping(mapping(steps + [step("opaque")]), registry: registry)
        )
    }

    private static func expectSame(_ mappings: (proven: CompiledMapping, checked: CompiledMapping), _ record: JSONValue)
    {
        let proven = mappings.proven.apply(record)
        let checked = mappings.checked.apply(record)
        #expect(proven.value == checked.value, "\(record)")
        #expect(proven.warnings.map(\.message) == checked.warnings.map(\.message), "\(record)")
        #expect(proven.warnings.isEmpty, "\(record): \(proven.warnings)")
    }

    @Test("timestamps from unix_seconds_to_iso, across the years it can write, fit a datetime field as checked")
    func epochSeconds() throws {
        let mappings = try Self.pair(
            "updated",
            "updated_at",
            [Self.step("to_number"), Self.step("unix_seconds_to_iso")]
        )
        var generator = SystemRandomNumberGenerator()
        let samples =
            [-62_135_596_800.0, -1, 0, 0.5, 1_700_000_000, 253_402_300_799]
            + (0..<300).map { _ in Double(Int64.random(in: -62_135_596_800...253_402_300_799, using: &generator)) }
        for seconds in samples {
            Self.expectSame(mappings, ["id": 1, "summary": "s", "updated": .number(seconds)])
        }
    }

    @Test("parse_date's timestamps, with an offset or in UTC, fit a datetime field as checked")
    func parsedTimestamps() throws {
        for output in ["utc", "offset"] {
            let mappings = try Self.pair(
                "created",
                "created_at",
                [Self.step("parse_date", ["time_zone": "America/New_York", "output": .string(output)])]
            )
            for text in [
                "2024-03-10T06:59:59Z", "2024-03-10T07:00:00Z", "2024-11-03 01:30:00", "1970-01-01T00:00:00.5Z",
            ] {
                Self.expectSame(mappings, ["id": 1, "summary": "s", "created": .string(text)])
            }
        }
    }

    @Test("the standard string transforms' text fits a string field as checked")
    func standardStrings() throws {
        let pipelines: [[TransformStep]] = [
            [Self.step("trim")], [Self.step("lower")], [Self.step("upper")], [Self.step("title_case")],
            [Self.step("truncate", ["length": 4])], [Self.step("slug")], [Self.step("to_string")],
            [Self.step("sha256")], [Self.step("regex_replace", ["pattern": "o", "replacement": "0"])],
            [Self.step("trim"), Self.step("null_if_empty"), Self.step("default", ["value": "none"])],
        ]
        for steps in pipelines {
            let mappings = try Self.pair("type", "type", steps)
            for text in ["  Problem ", "straße", "", "ǆ x", "Service Request"] {
                Self.expectSame(mappings, ["id": 1, "summary": "s", "type": .string(text)])
            }
        }
    }

    @Test("a transform registered under a standard name, with its own spec, is not trusted: its output is checked")
    func replacedTransformChecked() throws {
        let registry = TransformRegistry.standard.adding(
            TransformDefinition(
                spec: TransformSpec(
                    name: "trim",
                    summary: "Not the standard trim: gives a number.",
                    input: "any",
                    example: .init(input: "a", output: 1)
                )
            ) { _ in Transform.Implementation(forward: { _, _ in .number(1) }) }
        )
        let mapping = try CompiledMapping(
            Mapping(
                model: "ticket",
                rules: [
                    MappingRule(source: "id", target: "id", transforms: [Self.step("to_string")], required: true),
                    MappingRule(source: "summary", target: "summary", required: true),
                    MappingRule(source: "type", target: "type", transforms: [Self.step("trim")]),
                ]
            ),
            registry: registry
        )
        let mapped = mapping.apply(["id": 1, "summary": "s", "type": "Problem"])
        #expect(mapped.value["type"] == nil)
        #expect(mapped.warnings.map(\.message) == ["expected a string, got a number (1)"])
    }

    @Test("a value map's constants, each checked when the mapping was saved, fit an enum field as checked")
    func mappedConstants() throws {
        let mappings = try Self.pair(
            "priority_name",
            "priority",
            [Self.step("value_map", ["map": ["urgent": "critical", "p1": "high"], "default": "medium"])]
        )
        for name in ["urgent", "p1", "something else"] {
            Self.expectSame(mappings, ["id": 1, "summary": "s", "priority_name": .string(name)])
        }
        // A constant that does not fit is refused when saving, so it can never reach a record unchecked.
        #expect(throws: MappingError.self) {
            try Self.pair(
                "priority_name",
                "priority",
                [Self.step("value_map", ["map": ["a": "urgent"], "default": "x"])]
            )
        }
    }
}

@Suite("Mappings: outputs not proven to fit are still checked")
struct MappingUnprovenOutputTests {
    @Test("floor's whole number, too large for an integer field, is still caught per record")
    func largeWholeNumber() throws {
        let mapping = try CompiledMapping(
            Mapping(
                model: "company",
                rules: [
                    MappingRule(source: "id", target: "id", transforms: [TransformStep("to_string")], required: true),
                    MappingRule(source: "name", target: "name", required: true),
                    MappingRule(source: "staff", target: "employee_count", transforms: [TransformStep("floor")]),
                ]
            )
        )
        let fits = mapping.apply(["id": 1, "name": "Acme", "staff": .number(12.5)])
        #expect(fits.value["employee_count"] == 12)
        let tooLarge = mapping.apply(["id": 1, "name": "Acme", "staff": .number(1e300)])
        #expect(tooLarge.value["employee_count"] == nil)
        #expect(tooLarge.warnings.map(\.message) == ["expected a whole number, got a number (1e+300)"])
    }
}
