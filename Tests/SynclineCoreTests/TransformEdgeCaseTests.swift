import Foundation
import SynclineCore
import Testing

/// What running a transform on one input gives: a value, or a `TransformError` of a code.
enum EdgeOutcome: Sendable, Equatable, CustomStringConvertible {
    case value(JSONValue)
    case error(TransformError.Code)

    var description: String {
        switch self {
        case .value(let value): "value \(value)"
        case .error(let code): "error \(code)"
        }
    }
}

/// The documented outcome of one transform on the empty string, on null and on an input of a type it does not
/// take, with the example's arguments and context.
struct EdgeCase: Sendable, CustomTestStringConvertible {
    let name: String
    let empty: EdgeOutcome
    let null: EdgeOutcome
    /// An input of a type the transform does not take (or, for transforms that take anything, an object).
    let wrongInput: JSONValue
    let wrongType: EdgeOutcome

    var testDescription: String { name }

    init(_ name: String, empty: EdgeOutcome, null: EdgeOutcome = .value(nil), wrong wrongInput: JSONValue = 42,
         _ wrongType: EdgeOutcome = .error(.wrongInputType)) {
        self.name = name
        self.empty = empty
        self.null = null
        self.wrongInput = wrongInput
        self.wrongType = wrongType
    }
}

@Suite("Transforms: empty, null and wrong-type inputs")
struct TransformEdgeCaseTests {
    static let wrongType = EdgeOutcome.error(.wrongInputType)
    static let invalid = EdgeOutcome.error(.invalidInput)

    /// One row per transform in the standard registry; a transform added without a row fails `everyTransformHasARow`.
    static let table: [EdgeCase] = [
        EdgeCase("boolean_invert", empty: wrongType),
        EdgeCase("ceil", empty: wrongType, wrong: "1.5"),
    ]

    static let names = TransformRegistry.standard.specs.map(\.name)

    /// Some inputs of every JSON type, including the empty ones.
    static let probes: [JSONValue] = [nil, "", " ", "text", 0, .number(-1.5), true, false, [], [nil], ["a", 1], [:], ["key": nil]]

    /// Runs `body` and says what it gave; any error other than a `TransformError` is recorded as an issue.
    static func outcome(_ body: () throws -> JSONValue) -> EdgeOutcome? {
        do {
            return .value(try body())
        } catch let error as TransformError {
            return .error(error.code)
        } catch {
            Issue.record("not a TransformError: \(error)")
            return nil
        }
    }

    @Test("every transform in the registry has a row of documented edge outcomes")
    func everyTransformHasARow() {
        let rows = Self.table.map(\.name)
        #expect(rows.count == Set(rows).count, "duplicate rows")
        for name in Self.names where !rows.contains(name) {
            Issue.record("'\(name)' has no row in TransformEdgeCaseTests.table: add its empty, null and wrong-type outcomes")
        }
        for name in rows where !Self.names.contains(name) {
            Issue.record("'\(name)' has a row but is not in the registry")
        }
    }

    @Test("empty string, null and a wrong type give the documented value or error", arguments: table)
    func documentedOutcomes(row: EdgeCase) throws {
        let spec = try #require(TransformRegistry.standard.spec(named: row.name))
        let transform = try TransformRegistry.standard.make(row.name, arguments: spec.example.arguments)
        let context = spec.example.context
        #expect(Self.outcome { try transform.apply("", context: context) } == row.empty, "empty string")
        #expect(Self.outcome { try transform.apply(nil, context: context) } == row.null, "null")
        #expect(Self.outcome { try transform.apply(row.wrongInput, context: context) } == row.wrongType, "wrong type")
    }

    @Test(
        "any input, forward and in reverse, gives a value or a TransformError that names the transform, never a crash",
        arguments: names
    )
    func neverAnotherError(name: String) throws {
        let spec = try #require(TransformRegistry.standard.spec(named: name))
        let transform = try TransformRegistry.standard.make(name, arguments: spec.example.arguments)
        let context = spec.example.context
        var directions: [(String, (JSONValue) throws -> JSONValue)] = [("forward", { try transform.apply($0, context: context) })]
        if transform.isReversible {
            directions.append(("reverse", { try transform.reverse($0, context: context) }))
        }
        for (direction, run) in directions {
            for probe in Self.probes {
                do {
                    _ = try run(probe)
                } catch let error as TransformError {
                    #expect(error.transform == name, "\(direction) \(probe): \(error)")
                    #expect(error.description.hasPrefix("transform '\(name)'"), "\(direction) \(probe): \(error)")
                    #expect(!error.message.isEmpty, "\(direction) \(probe)")
                } catch {
                    Issue.record("\(direction) \(probe): not a TransformError: \(error)")
                }
            }
        }
    }
}

@Suite struct TransformEdgeDiscoveryScratch {
    @Test func discover() throws {
        var out = ""
        for name in TransformEdgeCaseTests.names {
            let spec = try #require(TransformRegistry.standard.spec(named: name))
            let t = try TransformRegistry.standard.make(name, arguments: spec.example.arguments)
            let c = spec.example.context
            let e = TransformEdgeCaseTests.outcome { try t.apply("", context: c) }
            let n = TransformEdgeCaseTests.outcome { try t.apply(nil, context: c) }
            let w = TransformEdgeCaseTests.outcome { try t.apply(42, context: c) }
            let s = TransformEdgeCaseTests.outcome { try t.apply("12", context: c) }
            let o = TransformEdgeCaseTests.outcome { try t.apply(["k": 1], context: c) }
            out += "\(name) | input \(spec.input) | empty \(e!) | null \(n!) | 42 \(w!) | \"12\" \(s!) | obj \(o!)\n"
        }
        try out.write(toFile: "/tmp/txp/edges.txt", atomically: true, encoding: .utf8)
    }
}
