import Foundation

/// The units `unit_convert` knows, each as a factor to its dimension's base unit (metre, kilogram, litre,
/// second); temperatures use their exact formulas instead.
struct MeasurementUnit: Sendable, Hashable {
    enum Dimension: String, Sendable, Hashable {
        case length, mass, temperature, volume, duration
    }

    let symbol: String
    let dimension: Dimension
    /// Base value = value × scale (unused for temperatures).
    let scale: Double

    private init(_ symbol: String, _ dimension: Dimension, _ scale: Double) {
        self.symbol = symbol
        self.dimension = dimension
        self.scale = scale
    }

    /// Every unit, in documentation order. Factors are exact by definition (1 in = 25.4 mm, 1 lb = 0.45359237 kg,
    /// 1 US gal = 3.785411784 l).
    static let all: [MeasurementUnit] = [
        .init("mm", .length, 0.001), .init("cm", .length, 0.01), .init("m", .length, 1),
        .init("km", .length, 1000), .init("in", .length, 0.0254), .init("ft", .length, 0.3048),
        .init("yd", .length, 0.9144), .init("mi", .length, 1609.344), .init("nmi", .length, 1852),
        .init("mg", .mass, 0.000001), .init("g", .mass, 0.001), .init("kg", .mass, 1), .init("t", .mass, 1000),
        .init("oz", .mass, 0.028349523125), .init("lb", .mass, 0.45359237), .init("st", .mass, 6.35029318),
        .init("c", .temperature, 1), .init("f", .temperature, 1), .init("k", .temperature, 1),
        .init("ml", .volume, 0.001), .init("l", .volume, 1), .init("m3", .volume, 1000),
        .init("us_fl_oz", .volume, 0.0295735295625), .init("us_gal", .volume, 3.785411784),
        .init("ms", .duration, 0.001), .init("s", .duration, 1), .init("min", .duration, 60),
        .init("h", .duration, 3600), .init("d", .duration, 86_400),
    ]

    static let bySymbol: [String: MeasurementUnit] = Dictionary(all.map { ($0.symbol, $0) }) { first, _ in first }

    /// `value` in this unit expressed in `target`, computed in decimal so exact factors stay exact.
    func convert(_ value: Double, to target: MeasurementUnit) -> Double {
        if self == target { return value }
        if dimension == .temperature { return convertTemperature(value, to: target) }
        // value × scale ÷ target.scale, as one exact ratio when both are exact decimals.
        return DecimalMath.compute(
            [value, scale, target.scale],
            { $0[0] * $0[1] / $0[2] },
            fallback: { $0[0] * $0[1] / $0[2] }
        )
    }

    /// Temperatures through Celsius with the exact formulas (°F = °C × 9/5 + 32, K = °C + 273.15), in one
    /// decimal computation so only the final result is rounded.
    private func convertTemperature(_ value: Double, to target: MeasurementUnit) -> Double {
        let (source, destination) = (symbol, target.symbol)
        let kelvinOffset = Decimal(sign: .plus, exponent: -2, significand: 27_315)
        return DecimalMath.compute(
            [value],
            { operands in
                let celsius: Decimal =
                    switch source {
                    case "f": (operands[0] - 32) * 5 / 9
                    case "k": operands[0] - kelvinOffset
                    default: operands[0]
                    }
                return switch destination {
                case "f": celsius * 9 / 5 + 32
                case "k": celsius + kelvinOffset
                default: celsius
                }
            },
            fallback: { operands in
                let celsius: Double =
                    switch source {
                    case "f": (operands[0] - 32) * 5 / 9
                    case "k": operands[0] - 273.15
                    default: operands[0]
                    }
                return switch destination {
                case "f": celsius * 9 / 5 + 32
                case "k": celsius + 273.15
                default: celsius
                }
            }
        )
    }
}
