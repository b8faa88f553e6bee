import SynclineCore
import Testing

@Suite("Transforms: numbers")
struct NumberTransformTests {
    // MARK: round, floor, ceil

    @Test("round rounds in decimal, halves away from zero by default")
    func roundRounds() throws {
        #expect(try Run.forward("round", .number(2.675), ["places": 2]) == .number(2.68))
        #expect(try Run.forward("round", .number(1.005), ["places": 2]) == .number(1.01))
        #expect(try Run.forward("round", .number(2.5)) == 3)
        #expect(try Run.forward("round", .number(-2.5)) == -3)
        #expect(try Run.forward("round", .number(1234.5), ["places": -2]) == 1200)
        #expect(try Run.forward("round", 7, ["places": 3]) == 7)
    }

    @Test("round can round halves to even")
    func roundHalfEven() throws {
        #expect(try Run.forward("round", .number(2.5), ["mode": "half_even"]) == 2)
        #expect(try Run.forward("round", .number(3.5), ["mode": "half_even"]) == 4)
        #expect(try Run.forward("round", .number(0.125), ["places": 2, "mode": "half_even"]) == .number(0.12))
    }

    @Test("round checks its places and rejects text input")
    func roundEdges() throws {
        #expect(try Run.forward("round", nil) == nil)
        let places = #expect(throws: TransformError.self) { try Run.make("round", ["places": 16]) }
        #expect(places?.argument == "places")
        #expect(places?.message == "must be between -15 and 15")
        let text = #expect(throws: TransformError.self) { try Run.forward("round", "2.5") }
        #expect(text?.code == .wrongInputType)
        #expect(text?.message == "expected a number, got a string")
    }

    @Test("round is idempotent over generated numbers")
    func roundIdempotentProperty() throws {
        var random = SplitMix64(seed: 8)
        for _ in 0..<300 {
            let places = Int.random(in: 0...6, using: &random)
            let transform = try Run.make("round", ["places": .number(Double(places))])
            let once = try transform.apply(.number(Double.random(in: -1e6...1e6, using: &random)))
            #expect(try transform.apply(once) == once)
        }
    }

    @Test("floor and ceil round toward minus and plus infinity")
    func floorAndCeil() throws {
        #expect(try Run.forward("floor", .number(3.7)) == 3)
        #expect(try Run.forward("floor", .number(-1.5)) == -2)
        #expect(try Run.forward("floor", 4) == 4)
        #expect(try Run.forward("ceil", .number(3.2)) == 4)
        #expect(try Run.forward("ceil", .number(-1.5)) == -1)
        #expect(try Run.forward("ceil", .number(-0.0)) == .number(-0.0))
    }

    @Test("floor and ceil pass null and reject non-numbers")
    func floorAndCeilEdges() throws {
        #expect(try Run.forward("floor", nil) == nil)
        #expect(try Run.forward("ceil", nil) == nil)
        let floorError = #expect(throws: TransformError.self) { try Run.forward("floor", true) }
        #expect(floorError?.message == "expected a number, got a boolean")
        let ceilError = #expect(throws: TransformError.self) { try Run.forward("ceil", "1.5") }
        #expect(ceilError?.transform == "ceil")
    }

    // MARK: multiply, divide

    @Test("multiply and divide convert units to cents and back exactly")
    func multiplyDivide() throws {
        #expect(try Run.forward("multiply", .number(19.99), ["factor": 100]) == 1999)
        #expect(try Run.forward("divide", 1999, ["divisor": 100]) == .number(19.99))
        #expect(try Run.forward("multiply", .number(0.1), ["factor": 3]) == .number(0.3))
        #expect(try Run.backward("multiply", 1999, ["factor": 100]) == .number(19.99))
        #expect(try Run.backward("divide", .number(19.99), ["divisor": 100]) == 1999)
        #expect(try Run.forward("divide", 1, ["divisor": 3]) == .number(1.0 / 3.0))
    }

    @Test("multiply and divide reject zero and non-numbers")
    func multiplyDivideEdges() throws {
        #expect(try Run.forward("multiply", nil, ["factor": 2]) == nil)
        let zero = #expect(throws: TransformError.self) { try Run.make("divide", ["divisor": 0]) }
        #expect(zero?.code == .invalidArgument)
        #expect(zero?.description == "transform 'divide', argument 'divisor': must not be zero")
        let zeroFactor = #expect(throws: TransformError.self) { try Run.make("multiply", ["factor": 0]) }
        #expect(zeroFactor?.argument == "factor")
        let text = #expect(throws: TransformError.self) { try Run.forward("multiply", "3", ["factor": 2]) }
        #expect(text?.code == .wrongInputType)
        let textFactor = #expect(throws: TransformError.self) { try Run.make("multiply", ["factor": "2"]) }
        #expect(textFactor?.message == "expected number, got a string")
    }

    @Test(
        "divide then multiply (and multiply then divide) give back generated amounts",
        arguments: [100.0, 1000.0, 0.01, 8.0, 2.5, 1_000_000.0]
    )
    func scalingRoundTripProperty(factor: Double) throws {
        var random = SplitMix64(seed: UInt64(factor * 1000))
        let divide = try Run.make("divide", ["divisor": .number(factor)])
        let multiply = try Run.make("multiply", ["factor": .number(factor)])
        let cents = (0..<300).map { _ in
            JSONValue.number(Double(Int.random(in: -99_999_999...99_999_999, using: &random)))
        }
        let amounts = (0..<300).map { _ in
            JSONValue.number(Double(Int.random(in: -9_999_999...9_999_999, using: &random)) / 100)
        }
        #expect(try Run.roundTripFailures(divide, cents).isEmpty)
        #expect(try Run.roundTripFailures(multiply, amounts).isEmpty)
        #expect(try Run.roundTripFailures(divide, amounts).isEmpty)
    }

    // MARK: parse_currency

    @Test(
        "parse_currency reads amounts with codes, symbols and grouping",
        arguments: [
            ("USD 1,234.50", ".", 1234.5),
            ("$1,234.50", ".", 1234.5),
            ("1.234,50 EUR", ",", 1234.5),
            ("€ 1 234,50", ",", 1234.5),
            ("CHF 1'234.50", ".", 1234.5),
            ("£0.99", ".", 0.99),
            ("(12.00)", ".", -12),
            ("-$5", ".", -5),
            ("$-5", ".", -5),
            ("5.00-", ".", -5),
            ("1234", ".", 1234),
            ("R$ 1.000.000,00", ",", 1_000_000),
            (".50", ".", 0.5),
            ("Rs.1,234", ".", 1234),
            ("1 234,5 kr", ",", 1234.5),
        ]
    )
    func parseCurrencyReads(text: String, separator: String, expected: Double) throws {
        let result = try Run.forward("parse_currency", .string(text), ["decimal_separator": .string(separator)])
        #expect(result == .number(expected))
    }

    @Test("parse_currency passes numbers and null, makes blank text null")
    func parseCurrencyPassThrough() throws {
        #expect(try Run.forward("parse_currency", .number(12.5)) == .number(12.5))
        #expect(try Run.forward("parse_currency", nil) == nil)
        #expect(try Run.forward("parse_currency", "  ") == nil)
    }

    @Test(
        "parse_currency rejects text that is not one amount",
        arguments: [
            "free", "12 apples 3", "1.234,50", "1,2,3.4.5", "$", "12#50",
        ]
    )
    func parseCurrencyRejects(text: String) {
        let error = #expect(throws: TransformError.self) { try Run.forward("parse_currency", .string(text)) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message == "'\(text)' is not a readable amount")
    }

    @Test("parse_currency rejects arrays")
    func parseCurrencyWrongType() {
        let error = #expect(throws: TransformError.self) { try Run.forward("parse_currency", ["$1"]) }
        #expect(error?.code == .wrongInputType)
    }

    @Test("parse_currency reads back generated amounts formatted with grouping, in both conventions")
    func parseCurrencyProperty() throws {
        var random = SplitMix64(seed: 13)
        let dotted = try Run.make("parse_currency")
        let commaed = try Run.make("parse_currency", ["decimal_separator": ","])
        for _ in 0..<300 {
            let cents = Int.random(in: -999_999_999...999_999_999, using: &random)
            let whole = String(abs(cents) / 100)
            var grouped: [String] = []
            var rest = Substring(whole)
            while rest.count > 3 {
                grouped.insert(String(rest.suffix(3)), at: 0)
                rest = rest.dropLast(3)
            }
            grouped.insert(String(rest), at: 0)
            let fraction = String(format2(abs(cents) % 100))
            let sign = cents < 0 ? "-" : ""
            let expected = JSONValue.number(Double(cents) / 100)
            let english = "\(sign)$" + grouped.joined(separator: ",") + "." + fraction
            let european = sign + grouped.joined(separator: ".") + "," + fraction + " EUR"
            #expect(try dotted.apply(.string(english)) == expected, "\(english)")
            #expect(try commaed.apply(.string(european)) == expected, "\(european)")
        }
    }

    private func format2(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    // MARK: unit_convert

    @Test("unit_convert converts lengths, masses, volumes and durations with exact factors")
    func unitConvertLinear() throws {
        #expect(try Run.forward("unit_convert", 10, ["from": "ft", "to": "m"]) == .number(3.048))
        #expect(try Run.forward("unit_convert", 1, ["from": "mi", "to": "km"]) == .number(1.609344))
        #expect(try Run.forward("unit_convert", 12, ["from": "in", "to": "ft"]) == 1)
        #expect(try Run.forward("unit_convert", 1, ["from": "lb", "to": "g"]) == .number(453.59237))
        #expect(try Run.forward("unit_convert", 16, ["from": "oz", "to": "lb"]) == 1)
        #expect(try Run.forward("unit_convert", 1, ["from": "us_gal", "to": "l"]) == .number(3.785411784))
        #expect(try Run.forward("unit_convert", 90, ["from": "min", "to": "h"]) == .number(1.5))
        #expect(try Run.forward("unit_convert", 5, ["from": "km", "to": "km"]) == 5)
    }

    @Test("unit_convert converts temperatures with the exact formulas")
    func unitConvertTemperature() throws {
        #expect(try Run.forward("unit_convert", 100, ["from": "c", "to": "f"]) == 212)
        #expect(try Run.forward("unit_convert", -40, ["from": "f", "to": "c"]) == -40)
        #expect(try Run.forward("unit_convert", 0, ["from": "k", "to": "c"]) == .number(-273.15))
        #expect(try Run.forward("unit_convert", 32, ["from": "f", "to": "k"]) == .number(273.15))
        #expect(try Run.backward("unit_convert", 212, ["from": "c", "to": "f"]) == 100)
    }

    @Test("unit_convert rejects unknown units, mixed dimensions and non-numbers")
    func unitConvertEdges() throws {
        #expect(try Run.forward("unit_convert", nil, ["from": "m", "to": "ft"]) == nil)
        let unknown = #expect(throws: TransformError.self) {
            try Run.make("unit_convert", ["from": "parsec", "to": "m"])
        }
        #expect(unknown?.argument == "from")
        let mixed = #expect(throws: TransformError.self) { try Run.make("unit_convert", ["from": "kg", "to": "m"]) }
        #expect(mixed?.argument == "to")
        #expect(mixed?.message == "'m' is a unit of length, 'kg' of mass")
        let text = #expect(throws: TransformError.self) {
            try Run.forward("unit_convert", "10", ["from": "m", "to": "ft"])
        }
        #expect(text?.code == .wrongInputType)
    }

    @Test(
        "unit_convert reverse(forward(x)) == x for generated measurements where the factor multiplies",
        arguments: [
            ("ft", "m"), ("in", "cm"), ("lb", "kg"), ("oz", "lb"), ("us_gal", "l"), ("h", "s"),
            ("c", "f"), ("c", "k"), ("km", "m"), ("mi", "km"),
        ]
    )
    func unitConvertRoundTripProperty(from: String, to: String) throws {
        var random = SplitMix64(seed: UInt64(from.count * 31 + to.count))
        let transform = try Run.make("unit_convert", ["from": .string(from), "to": .string(to)])
        let inputs = (0..<300).map { _ in
            JSONValue.number(Double(Int.random(in: -1_000_000...1_000_000, using: &random)) / 100)
        }
        let failures = try Run.roundTripFailures(transform, inputs)
        #expect(failures.isEmpty, "\(failures.prefix(3))")
    }

    @Test("unit_convert round trips through non-terminating quotients stay within one part in 10^15")
    func unitConvertApproximateRoundTrip() throws {
        var random = SplitMix64(seed: 99)
        for (from, to) in [("m", "ft"), ("f", "c"), ("kg", "lb"), ("km", "mi"), ("oz", "g")] {
            let transform = try Run.make("unit_convert", ["from": .string(from), "to": .string(to)])
            for _ in 0..<100 {
                let input = Double(Int.random(in: 1...1_000_000, using: &random)) / 100
                let back = try transform.reverse(transform.apply(.number(input)))
                guard case .number(let value) = back else {
                    Issue.record("not a number: \(back)")
                    continue
                }
                #expect(abs(value - input) <= input * 1e-15, "\(from)->\(to) \(input) -> \(value)")
            }
        }
    }
}
