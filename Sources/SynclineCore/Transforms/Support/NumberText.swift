import Foundation

/// Reading numbers from text strictly: decimal notation only (`-12.5`, `3e2`), never `inf`, `nan` or hex,
/// which `Double(String)` would accept.
enum NumberText {
    /// The number in `text` after trimming spaces, or nil when it is not plain decimal notation.
    static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmed()
        var bytes = trimmed.utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let mantissa = bytes.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
        let exponent = bytes.dropFirst(mantissa.count)
        let parts = mantissa.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.contains(where: { !$0.isEmpty }),
            parts.allSatisfy({ $0.allSatisfy(isDigit) })
        else { return nil }
        if !exponent.isEmpty {
            var digits = exponent.dropFirst()
            if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                digits = digits.dropFirst()
            }
            guard !digits.isEmpty, digits.allSatisfy(isDigit) else { return nil }
        }
        guard let number = Double(trimmed), number.isFinite else { return nil }
        return number
    }

    /// A value as a number for the coercions: numbers as they are, booleans as 1/0, numeric text parsed,
    /// empty or blank text as nil (null). Other text and other types are errors.
    static func coerce(_ value: JSONValue) throws -> Double? {
        switch value {
        case .number(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .string(let text):
            if text.trimmed().isEmpty { return nil }
            guard let number = parse(text) else {
                throw TransformError(.invalidInput, "'\(text)' is not a number")
            }
            return number
        default:
            throw value.wrongType(expected: "a string, number or boolean")
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
