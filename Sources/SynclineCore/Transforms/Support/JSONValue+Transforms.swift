import Foundation

/// Input checks and text forms the transforms share, so every transform reports a wrong type the same way.
extension JSONValue {
    /// "a string", "null", "an array": for messages.
    var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The text of a scalar: strings as they are, numbers without a needless ".0", booleans as true/false.
    var scalarText: String? {
        switch self {
        case .string(let text): text
        case .number(let number): Self.text(of: number)
        case .bool(let flag): flag ? "true" : "false"
        case .null, .array, .object: nil
        }
    }

    /// Whether the value is an empty string, array or object (optionally counting whitespace-only strings).
    func isEmpty(trimming: Bool) -> Bool {
        switch self {
        case .string(let text): trimming ? text.isBlank : text.isEmpty
        case .array(let items): items.isEmpty
        case .object(let members): members.isEmpty
        case .null, .bool, .number: false
        }
    }

    /// A number's shortest text: integers without a fraction, others as Swift prints them.
    static func text(of number: Double) -> String {
        if isExactInteger(number), number.magnitude < 9_007_199_254_740_992 { return decimalText(Int64(number)) }
        return String(number)
    }

    /// Whether `number` is a whole number whose every neighbour is exact too (|n| ≤ 2^53), checked by conversion:
    /// `rounded()` is a call into the C library.
    @inline(__always)
    static func isExactInteger(_ number: Double) -> Bool {
        // NaN fails both comparisons, so the conversion below never traps.
        guard number >= -9_007_199_254_740_992, number <= 9_007_199_254_740_992 else { return false }
        return Double(Int64(number)) == number
    }

    /// The decimal digits of `value`, written in place: `Int64.description` went through the generic integer
    /// printer, the largest part of `to_string`'s cost.
    static func decimalText(_ value: Int64) -> String {
        var digits = 1
        var probe = value.magnitude
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        let count = digits + (value < 0 ? 1 : 0)
        // At most 15 bytes become a small string, which needs no allocation.
        return String(unsafeUninitializedCapacity: count) { buffer in
            var rest = value.magnitude
            var position = count
            repeat {
                position -= 1
                buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            if value < 0 { buffer[0] = UInt8(ascii: "-") }
            return count
        }
    }

    /// The string inside, or a `wrongInputType` error naming what was received.
    func requireString() throws -> String {
        guard case .string(let text) = self else { throw wrongType(expected: "a string") }
        return text
    }

    /// `requireString` for a value the caller gives up (a transform's input): the text moves out, where copying it
    /// out retained its storage and dropping the value released it again, at every string step of every record.
    consuming func takeString() throws -> String {
        switch consume self {
        case .string(let text): return text
        case let other: throw other.wrongType(expected: "a string")
        }
    }

    /// The number inside, or a `wrongInputType` error naming what was received.
    func requireNumber() throws -> Double {
        guard case .number(let number) = self else { throw wrongType(expected: "a number") }
        return number
    }

    /// The boolean inside, or a `wrongInputType` error naming what was received.
    func requireBool() throws -> Bool {
        guard case .bool(let flag) = self else { throw wrongType(expected: "a boolean") }
        return flag
    }

    /// The elements inside, or a `wrongInputType` error naming what was received.
    func requireArray() throws -> [JSONValue] {
        guard case .array(let items) = self else { throw wrongType(expected: "an array") }
        return items
    }

    /// The text of a string, number or boolean, or a `wrongInputType` error for anything else.
    func requireScalarText() throws -> String {
        guard let text = scalarText else { throw wrongType(expected: "a string, number or boolean") }
        return text
    }

    /// The error for an input of the wrong type.
    func wrongType(expected: String) -> TransformError {
        TransformError(.wrongInputType, "expected \(expected), got \(typeDescription)")
    }
}
