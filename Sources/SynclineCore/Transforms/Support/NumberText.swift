import Foundation

/// Reading numbers from text strictly: decimal notation only (`-12.5`, `3e2`), never `inf`, `nan` or hex,
/// which `Double(String)` would accept.
enum NumberText {
    /// The number in `text` after trimming spaces, or nil when it is not plain decimal notation.
    static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmed()
        switch trimmed.withBytes(shape) {
        case .invalid:
            return nil
        case .integer(let number):
            return number
        case .decimal:
            guard let number = Double(trimmed), number.isFinite else { return nil }
            return number
        }
    }

    /// A value as a number for the coercions: numbers as they are, booleans as 1/0, numeric text parsed,
    /// empty or blank text as nil (null). Other text and other types are errors.
    static func coerce(_ value: JSONValue) throws -> Double? {
        switch value {
        case .number(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .string(let text):
            if text.isBlank { return nil }
            guard let number = parse(text) else {
                throw TransformError(.invalidInput, "'\(text)' is not a number")
            }
            return number
        default:
            throw value.wrongType(expected: "a string, number or boolean")
        }
    }

    /// What `shape` found: not decimal notation, a whole number read exactly, or decimal notation for `Double`.
    private enum Shape {
        case invalid
        case integer(Double)
        case decimal
    }

    /// Checks decimal notation in one pass over the bytes (an optional sign, digits with at most one `.`, an
    /// optional exponent) and reads up to 15 digits without a point or exponent itself, which is exact and
    /// saves the C library's parse for the usual ids and counts.
    private static func shape(_ bytes: UnsafeBufferPointer<UInt8>) -> Shape {
        var position = 0
        var negative = false
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
            negative = bytes[position] == UInt8(ascii: "-")
            position += 1
        }
        var digits = 0
        var value = 0
        var hasPoint = false
        while position < bytes.count {
            let byte = bytes[position]
            if isDigit(byte) {
                digits += 1
                if digits <= 15 { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
            } else if byte == UInt8(ascii: "."), !hasPoint {
                hasPoint = true
            } else {
                break
            }
            position += 1
        }
        guard digits > 0 else { return .invalid }
        if position == bytes.count {
            guard !hasPoint, digits <= 15 else { return .decimal }
            return .integer(negative ? -Double(value) : Double(value))
        }
        guard bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") else { return .invalid }
        position += 1
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
            position += 1
        }
        let exponentStart = position
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        return position > exponentStart && position == bytes.count ? .decimal : .invalid
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
