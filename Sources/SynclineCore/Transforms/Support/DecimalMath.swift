import Foundation

/// Arithmetic on numbers as the decimals people wrote (19.99, 0.3048) rather than their binary approximations,
/// rounded once to a double at the end: `divide` by 100 and `multiply` by 100 undo each other exactly,
/// 0.1 × 3 is 0.3 and `round(2.675, 2)` is 2.68. Quotients that do not terminate (÷ 3) are rounded, so a
/// division and its reverse may then differ in the last bit.
enum DecimalMath {
    /// The decimal a person meant by `number`: the shortest text that reads back as the same double.
    static func decimal(_ number: Double) -> Decimal? {
        guard number.isFinite else { return nil }
        return Decimal(string: String(number), locale: Locale(identifier: "en_US_POSIX"))
    }

    /// The double nearest to `decimal`: the one rounding of a decimal computation.
    static func double(_ decimal: Decimal) -> Double? {
        guard !decimal.isNaN, let number = Double(decimal.description), number.isFinite else { return nil }
        return number
    }

    /// Where Foundation's `Decimal` is trusted with a result: a product below about 1e-128 traps, and a quotient
    /// between 1e31 and 1e38 comes out wrong (seen with swift-foundation on Linux, Swift 6.3).
    static let trustedMagnitudes: ClosedRange<Double> = 1e-100...1e30

    /// Applies `operation` to exact decimals, falling back to `fallback` on doubles when a value is out of
    /// Decimal's range or the result is outside `trustedMagnitudes`.
    static func compute(
        _ operands: [Double],
        _ operation: ([Decimal]) -> Decimal,
        fallback: ([Double]) -> Double
    ) -> Double {
        let estimate = fallback(operands)
        guard estimate == 0 || trustedMagnitudes.contains(abs(estimate)) else { return estimate }
        let decimals = operands.compactMap(decimal)
        if decimals.count == operands.count, let result = double(operation(decimals)) {
            return result
        }
        return fallback(operands)
    }

    /// `number × factor`, exact in decimal.
    static func multiply(_ number: Double, by factor: Double) -> Double {
        compute([number, factor], { $0[0] * $0[1] }, fallback: { $0[0] * $0[1] })
    }

    /// `number ÷ divisor`, exact in decimal when the quotient terminates.
    static func divide(_ number: Double, by divisor: Double) -> Double {
        compute([number, divisor], { $0[0] / $0[1] }, fallback: { $0[0] / $0[1] })
    }

    /// `number + addend`, exact in decimal.
    static func add(_ number: Double, _ addend: Double) -> Double {
        compute([number, addend], { $0[0] + $0[1] }, fallback: { $0[0] + $0[1] })
    }

    /// `number` rounded to `places` decimal places (negative places round to tens, hundreds ...).
    static func round(_ number: Double, places: Int, mode: NSDecimalNumber.RoundingMode) -> Double {
        compute(
            [number],
            { operands in
                var value = operands[0]
                var result = Decimal()
                NSDecimalRound(&result, &value, places, mode)
                return result
            },
            fallback: { operands in
                let scale = pow(10, Double(places))
                return (operands[0] * scale).rounded(mode == .bankers ? .toNearestOrEven : .toNearestOrAwayFromZero)
                    / scale
            }
        )
    }
}
