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

    init(
        _ name: String,
        empty: EdgeOutcome,
        null: EdgeOutcome = .value(nil),
        wrong wrongInput: JSONValue = 42,
        _ wrongType: EdgeOutcome = .error(.wrongInputType)
    ) {
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
        // Types and values
        EdgeCase("value_map", empty: .value(""), wrong: [1], wrongType),
        EdgeCase("to_string", empty: .value(""), wrong: [1], wrongType),
        EdgeCase("to_integer", empty: .value(nil), wrong: [1], wrongType),
        EdgeCase("to_number", empty: .value(nil), wrong: [1], wrongType),
        EdgeCase("to_boolean", empty: .value(nil), wrong: [1], wrongType),
        EdgeCase("boolean_invert", empty: wrongType),
        // Numbers
        EdgeCase("round", empty: wrongType, wrong: "12", wrongType),
        EdgeCase("floor", empty: wrongType, wrong: "12", wrongType),
        EdgeCase("ceil", empty: wrongType, wrong: "12", wrongType),
        EdgeCase("multiply", empty: wrongType, wrong: "12", wrongType),
        EdgeCase("divide", empty: wrongType, wrong: "12", wrongType),
        EdgeCase("parse_currency", empty: .value(nil), wrong: true, wrongType),
        EdgeCase("unit_convert", empty: wrongType, wrong: "12", wrongType),
        // Dates and times
        EdgeCase("parse_date", empty: invalid),
        EdgeCase("format_date", empty: invalid),
        EdgeCase("timezone_convert", empty: invalid),
        EdgeCase("unix_seconds_to_iso", empty: .value(nil), wrong: true, wrongType),
        EdgeCase("iso_to_unix_seconds", empty: invalid),
        EdgeCase("unix_millis_to_iso", empty: .value(nil), wrong: true, wrongType),
        EdgeCase("iso_to_unix_millis", empty: invalid),
        // Strings
        EdgeCase("trim", empty: .value("")),
        EdgeCase("lower", empty: .value("")),
        EdgeCase("upper", empty: .value("")),
        EdgeCase("title_case", empty: .value("")),
        EdgeCase("truncate", empty: .value("")),
        EdgeCase("slug", empty: .value("")),
        EdgeCase("split", empty: .value([])),
        EdgeCase("join", empty: wrongType, wrong: "12", wrongType),
        EdgeCase("regex_extract", empty: .value(nil)),
        EdgeCase("regex_replace", empty: .value("")),
        // Records, defaults and collections: most take any input, so an object is a value too.
        EdgeCase(
            "template",
            empty: .value("Ada Lovelace"),
            null: .value("Ada Lovelace"),
            wrong: ["k": 1],
            .value("Ada Lovelace")
        ),
        EdgeCase(
            "concat",
            empty: .value("1 Main St, Leeds"),
            null: .value("1 Main St, Leeds"),
            wrong: ["k": 1],
            .value(#"{"k":1}, 1 Main St, Leeds"#)
        ),
        EdgeCase("default", empty: .value(""), null: .value("Unassigned"), wrong: ["k": 1], .value(["k": 1])),
        EdgeCase(
            "coalesce",
            empty: .value("+44 20 7946 0000"),
            null: .value("+44 20 7946 0000"),
            wrong: ["k": 1],
            .value(["k": 1])
        ),
        EdgeCase("null_if_empty", empty: .value(nil), wrong: ["k": 1], .value(["k": 1])),
        EdgeCase("first", empty: wrongType, wrong: "12", wrongType),
        EdgeCase("last", empty: wrongType, wrong: "12", wrongType),
        EdgeCase("pick", empty: wrongType, wrong: "12", wrongType),
        // Identities
        EdgeCase("email_normalize", empty: invalid),
        EdgeCase("phone_e164", empty: invalid, wrong: true, wrongType),
        EdgeCase(
            "sha256",
            empty: .value("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            wrong: ["k": 1],
            .value("a0da1fce57d0e4f9f0ae4e4cbe040d34dcc046255c6c8d18e97f55aaed0655f0")
        ),
        EdgeCase(
            "stable_uuid",
            empty: .value("ed5e0dcd-3f95-5c9b-bc2c-7aae0f0d3955"),
            null: .value("ed5e0dcd-3f95-5c9b-bc2c-7aae0f0d3955"),
            wrong: ["k": 1],
            .value("ed5e0dcd-3f95-5c9b-bc2c-7aae0f0d3955")
        ),
        EdgeCase("lookup", empty: .error(.missingLink), wrong: true, wrongType),
    ]

    static let names = TransformRegistry.standard.specs.map(\.name)

    /// Inputs of every JSON type, the empty ones included, and numbers and numeric text at the edges of what
    /// Double and Decimal hold.
    static let probes: [JSONValue] = [
        nil, "", " ", "text", "12", "1e-200", .string("0." + String(repeating: "0", count: 140) + "1"),
        .string("1" + String(repeating: "0", count: 140)), 0, .number(-1.5), .number(1e-120),
        .number(-Double.leastNonzeroMagnitude),
        .number(3.3e35), .number(1e300), .number(-Double.greatestFiniteMagnitude), true, false, [], [nil],
        ["a", 1], [[:]], [:], ["key": nil],
    ]

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
            Issue.record(
                "'\(name)' has no row in TransformEdgeCaseTests.table: add its empty, null and wrong-type outcomes"
            )
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
        if row.wrongType == Self.wrongType {
            let error = #expect(throws: TransformError.self) { try transform.apply(row.wrongInput, context: context) }
            #expect(
                error?.description.hasPrefix("transform '\(row.name)': expected ") == true,
                "\(String(describing: error))"
            )
            #expect(error?.message.contains(", got ") == true, "\(String(describing: error))")
        }
    }

    @Test("numbers beyond the range Foundation's Decimal handles are computed in doubles, not trapped or misdivided")
    func decimalLimits() throws {
        // A product below about 1e-128 trapped inside Decimal; now it is a double product.
        #expect(try Run.forward("multiply", .number(1e-65), ["factor": .number(1e-65)]) == .number(1e-65 * 1e-65))
        #expect(try Run.forward("unit_convert", .number(1e-125), ["from": "mg", "to": "kg"]) == .number(1e-131))
        // A Decimal quotient between 1e31 and 1e38 came out about 0.2% off (6.318e34 here).
        let quotient = try Run.forward("divide", .number(23_819_131_102.789), ["divisor": .number(3.778687e-25)])
        let expected = 23_819_131_102.789 / 3.778687e-25
        #expect(quotient == .number(expected))
        let back = try Run.backward("multiply", .number(23_819_131_102.789), ["factor": .number(3.778687e-25)])
        #expect(back == .number(expected))
    }

    @Test(
        "any input, forward and in reverse, gives a value or a TransformError that names the transform, never a crash",
        arguments: names
    )
    func neverAnotherError(name: String) throws {
        let spec = try #require(TransformRegistry.standard.spec(named: name))
        let transform = try TransformRegistry.standard.make(name, arguments: spec.example.arguments)
        let context = spec.example.context
        var directions: [(String, (JSONValue) throws -> JSONValue)] = [
            ("forward", { try transform.apply($0, context: context) })
        ]
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
