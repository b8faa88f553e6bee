import Foundation
import SynclineCore
import Testing

@Suite("Transform pipelines")
struct TransformPipelineTests {
    @Test("steps apply first to last")
    func appliesInOrder() throws {
        let pipeline = try TransformPipeline(steps: [
            TransformStep("trim"),
            TransformStep("parse_currency"),
            TransformStep("multiply", arguments: ["factor": 100]),
            TransformStep("to_integer"),
        ])
        #expect(try pipeline.apply("  $1,234.56 ") == 123_456)
    }

    @Test("reverse runs the steps' reverses from last to first")
    func reversesInReverseOrder() throws {
        // Hundredths of a pound to kilograms: 500 -> 5 lb -> 2.26796185 kg, and back.
        let simple = try TransformPipeline(steps: [
            TransformStep("divide", arguments: ["divisor": 100]),
            TransformStep("unit_convert", arguments: ["from": "lb", "to": "kg"]),
        ])
        #expect(try simple.apply(500) == .number(2.26796185))
        #expect(try simple.reverse(.number(2.26796185)) == 500)
        #expect(simple.isReversible)
    }

    @Test("reversing a pipeline with a step that has no reverse fails before running, naming the step")
    func notReversible() throws {
        let pipeline = try TransformPipeline(steps: [
            TransformStep("multiply", arguments: ["factor": 2]),
            TransformStep("round"),
        ])
        #expect(!pipeline.isReversible)
        let error = #expect(throws: TransformError.self) { try pipeline.reverse(4) }
        #expect(error?.code == .notReversible)
        #expect(error?.step == 1)
        #expect(error?.transform == "round")
        #expect(error?.description.hasPrefix("step 2, transform 'round': ") == true)
    }

    @Test("a configuration error names the step it is in")
    func configurationErrorNamesStep() {
        let error = #expect(throws: TransformError.self) {
            try TransformPipeline(steps: [TransformStep("trim"), TransformStep("divide", arguments: ["divisor": 0])])
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.step == 1)
        #expect(error?.argument == "divisor")
        #expect(error?.description == "step 2, transform 'divide', argument 'divisor': must not be zero")
    }

    @Test("a failure while applying names the step and transform")
    func applyErrorNamesStep() throws {
        let pipeline = try TransformPipeline(steps: [TransformStep("trim"), TransformStep("to_number")])
        let error = #expect(throws: TransformError.self) { try pipeline.apply(" twelve ") }
        #expect(error?.code == .invalidInput)
        #expect(error?.step == 1)
        #expect(error?.transform == "to_number")
    }

    @Test("an empty pipeline returns its input and reverses")
    func emptyPipeline() throws {
        let pipeline = TransformPipeline([])
        #expect(try pipeline.apply("x") == "x")
        #expect(try pipeline.reverse("x") == "x")
        #expect(pipeline.isReversible)
    }

    @Test("steps decode from stored JSON, with arguments optional, and encode back")
    func stepsAreCodable() throws {
        let json = #"[{"name":"trim"},{"name":"round","arguments":{"places":2}}]"#
        let steps = try JSONDecoder().decode([TransformStep].self, from: Data(json.utf8))
        #expect(steps == [TransformStep("trim"), TransformStep("round", arguments: ["places": 2])])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(steps), as: UTF8.self)
        #expect(text == #"[{"arguments":{},"name":"trim"},{"arguments":{"places":2},"name":"round"}]"#)
    }

    @Test("a reversible pipeline round-trips generated amounts")
    func roundTripProperty() throws {
        let pipeline = try TransformPipeline(steps: [
            TransformStep("divide", arguments: ["divisor": 100]),
            TransformStep("unit_convert", arguments: ["from": "mi", "to": "km"]),
            TransformStep("multiply", arguments: ["factor": .number(0.25)]),
        ])
        var random = SplitMix64(seed: 3)
        let inputs = (0..<300).map { _ in
            JSONValue.number(Double(Int.random(in: -10_000_000...10_000_000, using: &random)))
        }
        var failures: [String] = []
        for input in inputs {
            let forward = try pipeline.apply(input)
            let back = try pipeline.reverse(forward)
            if back != input { failures.append("\(input) -> \(forward) -> \(back)") }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }
}
