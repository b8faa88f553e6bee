import Foundation

/// Transforms over numbers: rounding, scaling, currency amounts and units. Arithmetic is done on the decimals
/// people wrote, so `divide` by 100 and `multiply` by 100 undo each other exactly.
extension TransformDefinition {
    static let round = TransformDefinition(
        spec: TransformSpec(
            name: "round",
            summary: "Rounds a number to a number of decimal places, computed in decimal (2.675 -> 2.68).",
            input: "number",
            arguments: [
                ArgumentSpec(
                    "places",
                    .integer,
                    default: 0,
                    "Decimal places to keep, -15 to 15 (-2 rounds to hundreds)."
                ),
                ArgumentSpec(
                    "mode",
                    .string,
                    default: "half_away_from_zero",
                    choices: ["half_away_from_zero", "half_even"],
                    "How to round halves: away from zero (2.5 -> 3) or to the even neighbour (2.5 -> 2)."
                ),
            ],
            example: .init(input: .number(2.675), arguments: ["places": 2], output: .number(2.68))
        ),
        factory: { arguments in
            let places = try arguments.integer("places")
            guard (-15...15).contains(places) else { throw arguments.invalid("places", "must be between -15 and 15") }
            let mode: NSDecimalNumber.RoundingMode = try arguments.string("mode") == "half_even" ? .bankers : .plain
            return Transform.Implementation(forward: { value, _ in
                .number(DecimalMath.round(try value.requireNumber(), places: places, mode: mode))
            })
        }
    )

    static let floor = TransformDefinition(
        spec: TransformSpec(
            name: "floor",
            summary: "Rounds a number down to the whole number at or below it (-1.5 -> -2).",
            input: "number",
            example: .init(input: .number(3.7), output: 3)
        ),
        factory: { _ in
            Transform.Implementation(forward: { value, _ in .number(try value.requireNumber().rounded(.down)) })
        }
    )

    static let ceil = TransformDefinition(
        spec: TransformSpec(
            name: "ceil",
            summary: "Rounds a number up to the whole number at or above it (-1.5 -> -1).",
            input: "number",
            example: .init(input: .number(3.2), output: 4)
        ),
        factory: { _ in
            Transform.Implementation(forward: { value, _ in .number(try value.requireNumber().rounded(.up)) })
        }
    )

    static let multiply = TransformDefinition(
        spec: TransformSpec(
            name: "multiply",
            summary: "Multiplies a number by a factor, such as units to cents (× 100).",
            input: "number",
            arguments: [ArgumentSpec("factor", .number, required: true, "The factor; not zero.")],
            example: .init(input: .number(19.99), arguments: ["factor": 100], output: 1999),
            reversibility: .conditional(
                "Divides by the factor. Exact when the product is a decimal of at most 15 significant digits, "
                    + "as 19.99 × 100 is, and \(exactRange); a longer product was rounded, so its reverse may "
                    + "differ in the last digit."
            )
        ),
        factory: { arguments in
            let factor = try arguments.number("factor")
            guard factor != 0 else { throw arguments.invalid("factor", "must not be zero") }
            return scaling(by: factor, inverse: false)
        }
    )

    static let divide = TransformDefinition(
        spec: TransformSpec(
            name: "divide",
            summary: "Divides a number by a divisor, such as cents to units (÷ 100).",
            input: "number",
            arguments: [ArgumentSpec("divisor", .number, required: true, "The divisor; not zero.")],
            example: .init(input: 1999, arguments: ["divisor": 100], output: .number(19.99)),
            reversibility: .conditional(
                "Multiplies by the divisor. Exact when the quotient is a decimal of at most 15 significant digits, "
                    + "as 1999 ÷ 100 is and 1 ÷ 3 is not, and \(exactRange); a longer or endless quotient was "
                    + "rounded, so its reverse may differ in the last digit."
            )
        ),
        factory: { arguments in
            let divisor = try arguments.number("divisor")
            guard divisor != 0 else { throw arguments.invalid("divisor", "must not be zero") }
            return scaling(by: divisor, inverse: true)
        }
    )

    /// Where decimal arithmetic, and so a reverse, is exact: `DecimalMath.trustedMagnitudes`.
    private static let exactRange = "the input and the result are 0 or between 1e-100 and 1e30 in size"

    /// Multiplication and division by one factor, each the other's reverse.
    private static func scaling(by factor: Double, inverse: Bool) -> Transform.Implementation {
        let multiply: TransformFunction = { value, _ in
            .number(DecimalMath.multiply(try value.requireNumber(), by: factor))
        }
        let divide: TransformFunction = { value, _ in
            .number(DecimalMath.divide(try value.requireNumber(), by: factor))
        }
        return inverse
            ? Transform.Implementation(forward: divide, backward: multiply)
            : Transform.Implementation(forward: multiply, backward: divide)
    }

    static let parseCurrency = TransformDefinition(
        spec: TransformSpec(
            name: "parse_currency",
            summary: "Reads an amount written for people (`USD 1,234.50`, `$1,234.50`, `1.234,50 EUR`, `(12.00)`, "
                + "`CHF 1'234.50`) as a number. Currency codes and symbols around the number are ignored; "
                + "the other separator, apostrophes and spaces group digits; parentheses or a minus sign make it "
                + "negative. An empty string becomes null; numbers pass unchanged.",
            input: "string or number",
            arguments: [
                ArgumentSpec(
                    "decimal_separator",
                    .string,
                    default: ".",
                    choices: [".", ","],
                    "The character before the fraction."
                )
            ],
            example: .init(input: "1.234,50 EUR", arguments: ["decimal_separator": ","], output: .number(1234.5))
        ),
        factory: { arguments in
            let decimalSeparator = Character(try arguments.string("decimal_separator"))
            return Transform.Implementation(forward: { value, _ in
                switch value {
                case .number: return value
                case .string(let text):
                    return try CurrencyText.parse(text, decimalSeparator: decimalSeparator).map(JSONValue.number)
                        ?? .null
                default: throw value.wrongType(expected: "a string or number")
                }
            })
        }
    )

    static let unitConvert = TransformDefinition(
        spec: TransformSpec(
            name: "unit_convert",
            summary: "Converts a measurement between units of one dimension: length (mm, cm, m, km, in, ft, yd, mi, "
                + "nmi), mass (mg, g, kg, t, oz, lb, st), temperature (c, f, k), volume (ml, l, m3, us_fl_oz, "
                + "us_gal) or duration (ms, s, min, h, d).",
            input: "number",
            arguments: [
                ArgumentSpec(
                    "from",
                    .string,
                    required: true,
                    choices: MeasurementUnit.all.map(\.symbol),
                    "The unit of the input."
                ),
                ArgumentSpec(
                    "to",
                    .string,
                    required: true,
                    choices: MeasurementUnit.all.map(\.symbol),
                    "The unit of the output; same dimension as `from`."
                ),
            ],
            example: .init(input: 10, arguments: ["from": "ft", "to": "m"], output: .number(3.048)),
            reversibility: .conditional(
                "Converts back from `to` to `from`. Exact when the result is a decimal of at most 15 significant "
                    + "digits, as 10 ft in m (3.048) is, and \(exactRange); a longer or endless result (m to ft, "
                    + "°F to °C) was rounded, so its reverse may differ in the last digit."
            )
        ),
        factory: { arguments in
            let fromSymbol = try arguments.string("from")
            let toSymbol = try arguments.string("to")
            guard let source = MeasurementUnit.bySymbol[fromSymbol], let target = MeasurementUnit.bySymbol[toSymbol]
            else { throw arguments.invalid("from", "unknown unit") }
            guard source.dimension == target.dimension else {
                throw arguments.invalid(
                    "to",
                    "'\(toSymbol)' is a unit of \(target.dimension.rawValue), "
                        + "'\(fromSymbol)' of \(source.dimension.rawValue)"
                )
            }
            return Transform.Implementation(
                forward: { value, _ in .number(source.convert(try value.requireNumber(), to: target)) },
                backward: { value, _ in .number(target.convert(try value.requireNumber(), to: source)) }
            )
        }
    )
}
