import Foundation

/// Why JSON text could not be parsed, and where: a byte offset into the UTF-8 input, a 1-based line and column
/// (columns count Unicode scalars, lines break at LF, CRLF or CR), and what the parser expected there.
public struct JSONParseError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The kinds of mistake the parser reports.
    public enum Kind: Sendable, Hashable {
        /// The input ended before the value was complete.
        case unexpectedEndOfInput
        /// A character that cannot appear where it is.
        case unexpectedCharacter
        /// A number that breaks the JSON grammar in a way the character alone does not say (a leading zero).
        case invalidNumber
        /// A number too large for a Double, or so small it would silently become zero.
        case numberOutOfRange
        /// A backslash followed by something that is not a JSON escape, or `\u` without four hex digits.
        case invalidEscape
        /// A `\u` escape of a UTF-16 surrogate without its other half.
        case loneSurrogate
        /// A raw control character (U+0000 to U+001F) inside a string; JSON requires them escaped.
        case controlCharacterInString
        /// Bytes inside a string that are not valid UTF-8.
        case invalidUTF8
        /// Arrays and objects nested deeper than ``JSONValue/maximumParsingDepth``.
        case nestingTooDeep
        /// Something other than whitespace after the complete value.
        case trailingCharacters
        /// Input detected as UTF-16 or UTF-32 (by its BOM or zero bytes) that does not convert to text.
        case invalidEncoding
    }

    /// The kind of mistake.
    public let kind: Kind
    /// The offset of the offending byte in the input (after converting UTF-16 or UTF-32 input to UTF-8);
    /// the input's length when it ended too soon.
    public let offset: Int
    /// The 1-based line of the offending byte.
    public let line: Int
    /// The 1-based column of the offending byte, in Unicode scalars from the start of its line.
    public let column: Int
    /// What should have been there, such as `':' after an object key`; nil for mistakes inside a token.
    public let expected: String?
    /// What was there instead, such as `'='` or `end of input`.
    public let found: String?
    /// The mistake in words, without the position: `expected ':' after an object key, found '='`.
    public let message: String

    /// The mistake with its position: `expected ':' after an object key, found '=' at line 3, column 14`.
    public var description: String {
        "\(message) at line \(line), column \(column)"
    }
}

extension JSONValue {
    /// The deepest nesting of arrays and objects ``parse(_:)`` accepts (the same limit as Foundation's
    /// JSONDecoder), so hostile input cannot exhaust the stack.
    public static let maximumParsingDepth = 512

    /// Parses JSON text (RFC 8259: any value at the top level, no trailing commas, no comments).
    /// Throws ``JSONParseError``. Duplicate object keys keep the last value.
    public static func parse(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { JSONTextParser.parse($0) }.get()
    }

    /// Parses JSON from bytes: UTF-8 with or without a BOM, or UTF-16/UTF-32 recognised the way Foundation's
    /// JSONDecoder recognises them. Throws ``JSONParseError``.
    public static func parse(data: Data) throws -> JSONValue {
        try data.withUnsafeBytes { raw in
            raw.withMemoryRebound(to: UInt8.self) { JSONTextParser.parse($0) }
        }.get()
    }

    /// Parses JSON from bytes, as ``parse(data:)`` does. Throws ``JSONParseError``.
    public static func parse(bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { JSONTextParser.parse($0) }.get()
    }
}

/// A recursive-descent RFC 8259 parser over UTF-8 bytes. Recursion is bounded by
/// ``JSONValue/maximumParsingDepth``; array elements and object members collect on shared stacks so each
/// container is allocated once at its final size.
struct JSONTextParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// Where the text starts (after a UTF-8 BOM), for line and column counting.
    private let start: Int
    private var index: Int
    private var depth = 0
    private var scratch: [UInt8] = []
    private var elements: [JSONValue] = []
    private var memberKeys: [String] = []
    private var memberValues: [JSONValue] = []

    private init(bytes: UnsafeBufferPointer<UInt8>, start: Int) {
        self.bytes = bytes
        self.start = start
        self.index = start
    }

    /// Parses a whole document, first converting UTF-16 and UTF-32 input (detected from the first four bytes as
    /// Foundation's JSONDecoder does) to UTF-8.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        let (encoding, bomLength) = detectEncoding(bytes)
        guard let encoding else {
            var parser = JSONTextParser(bytes: bytes, start: bomLength)
            return Result { () throws(JSONParseError) in try parser.parseDocument() }
        }
        let body = UnsafeBufferPointer(rebasing: bytes[bomLength...])
        guard var text = String(bytes: body, encoding: encoding) else {
            return .failure(
                JSONParseError(
                    kind: .invalidEncoding,
                    offset: 0,
                    line: 1,
                    column: 1,
                    expected: nil,
                    found: nil,
                    message: "the input looks like \(encoding) but does not convert to text"
                )
            )
        }
        return text.withUTF8 { utf8 in
            var parser = JSONTextParser(bytes: utf8, start: 0)
            return Result { () throws(JSONParseError) in try parser.parseDocument() }
        }
    }

    /// Nil for UTF-8, with the length of any BOM to skip.
    private static func detectEncoding(_ bytes: UnsafeBufferPointer<UInt8>) -> (String.Encoding?, Int) {
        let count = bytes.count
        let byte0: UInt8? = count > 0 ? bytes[0] : nil
        let byte1: UInt8? = count > 1 ? bytes[1] : nil
        let byte2: UInt8? = count > 2 ? bytes[2] : nil
        let byte3: UInt8? = count > 3 ? bytes[3] : nil
        switch (byte0, byte1, byte2, byte3) {
        case (0, 0, 0xFE, 0xFF): return (.utf32BigEndian, 4)
        case (0xFE, 0xFF, 0, 0): return (.utf32LittleEndian, 4)
        case (0xFE, 0xFF, _, _): return (.utf16BigEndian, 2)
        case (0xFF, 0xFE, _, _): return (.utf16LittleEndian, 2)
        case (0xEF, 0xBB, 0xBF, _): return (nil, 3)
        case (0, 0, 0, .some(let last)) where last != 0: return (.utf32BigEndian, 0)
        case (0, .some(let second), 0, .some(let fourth)) where second != 0 && fourth != 0:
            return (.utf16BigEndian, 0)
        case (.some(let first), 0, 0, 0) where first != 0: return (.utf32LittleEndian, 0)
        case (.some(let first), 0, .some(let third), 0) where first != 0 && third != 0:
            return (.utf16LittleEndian, 0)
        case (0, .some(let second), nil, nil) where second != 0: return (.utf16BigEndian, 0)
        case (.some(let first), 0, nil, nil) where first != 0: return (.utf16LittleEndian, 0)
        default: return (nil, 0)
        }
    }

    // MARK: values

    private mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else {
            throw failure(.trailingCharacters, expecting: "the end of the input after the JSON value")
        }
        return value
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw failure(.unexpectedEndOfInput, expecting: "a value") }
        switch bytes[index] {
        case JSONByte.openBrace: return try parseObject()
        case JSONByte.openBracket: return try parseArray()
        case JSONByte.quote:
            index += 1
            return .string(try parseString())
        case JSONByte.minus, JSONByte.zero...JSONByte.nine: return .number(try parseNumber())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw failure(.unexpectedCharacter, expecting: "a value")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let expected = "'\(literal)'"
        let utf8 = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in utf8 {
            guard index < bytes.count else { throw failure(.unexpectedEndOfInput, expecting: expected) }
            guard bytes[index] == byte else { throw failure(.unexpectedCharacter, expecting: expected) }
            index += 1
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == JSONByte.closeBrace {
            index += 1
            depth -= 1
            return .object([:])
        }
        let mark = memberKeys.count
        var expectedKey = "a string key or '}'"
        while true {
            guard index < bytes.count else { throw failure(.unexpectedEndOfInput, expecting: expectedKey) }
            guard bytes[index] == JSONByte.quote else { throw failure(.unexpectedCharacter, expecting: expectedKey) }
            index += 1
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count else {
                throw failure(.unexpectedEndOfInput, expecting: "':' after an object key")
            }
            guard bytes[index] == JSONByte.colon else {
                throw failure(.unexpectedCharacter, expecting: "':' after an object key")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            memberKeys.append(key)
            memberValues.append(value)
            skipWhitespace()
            guard index < bytes.count else {
                throw failure(.unexpectedEndOfInput, expecting: "',' or '}' after an object member")
            }
            if bytes[index] == JSONByte.closeBrace {
                index += 1
                break
            }
            guard bytes[index] == JSONByte.comma else {
                throw failure(.unexpectedCharacter, expecting: "',' or '}' after an object member")
            }
            index += 1
            skipWhitespace()
            expectedKey = "a string key after ','"
        }
        var object = [String: JSONValue](minimumCapacity: memberKeys.count - mark)
        for position in mark..<memberKeys.count {
            object[memberKeys[position]] = memberValues[position]
        }
        memberKeys.removeSubrange(mark...)
        memberValues.removeSubrange(mark...)
        depth -= 1
        return .object(object)
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == JSONByte.closeBracket {
            index += 1
            depth -= 1
            return .array([])
        }
        let mark = elements.count
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else {
                throw failure(.unexpectedEndOfInput, expecting: "',' or ']' after an array element")
            }
            if bytes[index] == JSONByte.closeBracket {
                index += 1
                break
            }
            guard bytes[index] == JSONByte.comma else {
                throw failure(.unexpectedCharacter, expecting: "',' or ']' after an array element")
            }
            index += 1
            skipWhitespace()
        }
        let array = Array(elements[mark...])
        elements.removeSubrange(mark...)
        depth -= 1
        return .array(array)
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        guard depth <= JSONValue.maximumParsingDepth else {
            throw failure(
                .nestingTooDeep,
                "arrays and objects are nested more than \(JSONValue.maximumParsingDepth) levels deep"
            )
        }
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case JSONByte.space, JSONByte.newline, JSONByte.carriageReturn, JSONByte.tab: index += 1
            default: return
            }
        }
    }

    // MARK: strings

    /// Parses the rest of a string whose opening quote has been consumed.
    private mutating func parseString() throws(JSONParseError) -> String {
        let contentStart = index
        // Plain content in one run, 8 bytes at a time (byte by byte this was a fifth of parsing a record). What
        // ends the run is the closing quote, a backslash, a control character or the end of the input.
        var nonASCII = false
        index += JSONByte.plainRun(UnsafeBufferPointer(rebasing: bytes[index...]), nonASCII: &nonASCII)
        guard index < bytes.count else { throw failure(.unexpectedEndOfInput, expecting: "'\"' to close the string") }
        switch bytes[index] {
        case JSONByte.quote:
            if nonASCII { try validateUTF8(contentStart..<index) }
            let content = UnsafeBufferPointer(rebasing: bytes[contentStart..<index])
            index += 1
            return String(decoding: content, as: UTF8.self)
        case JSONByte.backslash:
            return try parseEscapedString(from: contentStart)
        default:
            throw controlCharacterFailure()
        }
    }

    /// The slow path of ``parseString()``, from the first backslash: content gathers in `scratch`.
    private mutating func parseEscapedString(from contentStart: Int) throws(JSONParseError) -> String {
        var scratch = self.scratch
        self.scratch = []
        defer {
            scratch.removeAll(keepingCapacity: true)
            self.scratch = scratch
        }
        var runStart = contentStart
        var highBits: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == JSONByte.quote || byte == JSONByte.backslash {
                if highBits & 0x80 != 0 { try validateUTF8(runStart..<index) }
                highBits = 0
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                if byte == JSONByte.quote {
                    index += 1
                    return String(decoding: scratch, as: UTF8.self)
                }
                try parseEscape(into: &scratch)
                runStart = index
                continue
            }
            if byte < 0x20 { throw controlCharacterFailure() }
            highBits |= byte
            index += 1
        }
        throw failure(.unexpectedEndOfInput, expecting: "'\"' to close the string")
    }

    /// Decodes the escape at `index` (a backslash) and appends its UTF-8.
    private mutating func parseEscape(into scratch: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = index
        index += 1
        guard index < bytes.count else {
            throw failure(.unexpectedEndOfInput, expecting: "an escape character after '\\'")
        }
        let letter = bytes[index]
        index += 1
        switch letter {
        case JSONByte.quote, JSONByte.backslash, JSONByte.slash: scratch.append(letter)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(JSONByte.newline)
        case UInt8(ascii: "r"): scratch.append(JSONByte.carriageReturn)
        case UInt8(ascii: "t"): scratch.append(JSONByte.tab)
        case UInt8(ascii: "u"):
            let unit = try parseHex4()
            var scalar = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                let low: UInt16?
                if index + 1 < bytes.count, bytes[index] == JSONByte.backslash, bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    low = try parseHex4()
                } else {
                    low = nil
                }
                guard let low, (0xDC00...0xDFFF).contains(low) else {
                    throw failure(
                        .loneSurrogate,
                        at: escapeStart,
                        "the high surrogate \\u\(hex(unit)) is not followed by a low surrogate (\\uDC00 to \\uDFFF)"
                    )
                }
                scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw failure(
                    .loneSurrogate,
                    at: escapeStart,
                    "the low surrogate \\u\(hex(unit)) does not follow a high surrogate"
                )
            }
            Self.appendUTF8(scalar, to: &scratch)
        default:
            let escape =
                (0x21...0x7E).contains(letter)
                ? "'\\\(Character(Unicode.Scalar(letter)))'" : "a backslash followed by \(describeFound(at: index - 1))"
            throw failure(
                .invalidEscape,
                at: escapeStart,
                "\(escape) is not a JSON escape (use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)"
            )
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < bytes.count else {
                throw failure(.unexpectedEndOfInput, expecting: "four hex digits after '\\u'")
            }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case JSONByte.zero...JSONByte.nine: digit = byte - JSONByte.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure(.invalidEscape, expecting: "four hex digits after '\\u'")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private static func appendUTF8(_ scalar: UInt32, to scratch: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(truncatingIfNeeded: scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        }
    }

    /// Checks well-formed UTF-8 (no overlong forms, surrogates or values above U+10FFFF).
    private func validateUTF8(_ range: Range<Int>) throws(JSONParseError) {
        var position = range.lowerBound
        let end = range.upperBound
        while position < end {
            let lead = bytes[position]
            if lead < 0x80 {
                position += 1
                continue
            }
            let length: Int
            let secondRange: ClosedRange<UInt8>
            switch lead {
            case 0xC2...0xDF: (length, secondRange) = (2, 0x80...0xBF)
            case 0xE0: (length, secondRange) = (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, secondRange) = (3, 0x80...0xBF)
            case 0xED: (length, secondRange) = (3, 0x80...0x9F)
            case 0xF0: (length, secondRange) = (4, 0x90...0xBF)
            case 0xF1...0xF3: (length, secondRange) = (4, 0x80...0xBF)
            case 0xF4: (length, secondRange) = (4, 0x80...0x8F)
            default: throw invalidUTF8Failure(at: position)
            }
            guard position + length <= end, secondRange.contains(bytes[position + 1]) else {
                throw invalidUTF8Failure(at: position)
            }
            for continuation in (position + 2)..<(position + length) where bytes[continuation] & 0xC0 != 0x80 {
                throw invalidUTF8Failure(at: position)
            }
            position += length
        }
    }

    // MARK: numbers

    /// Exact powers of ten for the fast path (every one up to 1e22 is exactly representable).
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses a number per the RFC 8259 grammar. Values that fit a 53-bit mantissa with a small decimal exponent
    /// are computed exactly; the rest go through the standard library's correctly rounded conversion.
    private mutating func parseNumber() throws(JSONParseError) -> Double {
        let numberStart = index
        let negative = bytes[index] == JSONByte.minus
        if negative {
            index += 1
            guard index < bytes.count else {
                throw failure(.unexpectedEndOfInput, expecting: "a digit after '-'")
            }
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var decimalExponent = 0
        var truncated = false
        var nonZeroDigit = false

        let first = bytes[index]
        if first == JSONByte.zero {
            index += 1
            if index < bytes.count, Self.isDigit(bytes[index]) {
                throw failure(.invalidNumber, "a number cannot have a leading zero")
            }
        } else if Self.isDigit(first) {
            while index < bytes.count, Self.isDigit(bytes[index]) {
                let digit = bytes[index] - JSONByte.zero
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significantDigits += 1
                } else {
                    decimalExponent += 1
                    truncated = truncated || digit != 0
                }
                index += 1
            }
            nonZeroDigit = true
        } else {
            throw failure(.unexpectedCharacter, expecting: "a digit after '-'")
        }

        if index < bytes.count, bytes[index] == JSONByte.period {
            index += 1
            guard index < bytes.count else { throw failure(.unexpectedEndOfInput, expecting: "a digit after '.'") }
            guard Self.isDigit(bytes[index]) else {
                throw failure(.unexpectedCharacter, expecting: "a digit after '.'")
            }
            while index < bytes.count, Self.isDigit(bytes[index]) {
                let digit = bytes[index] - JSONByte.zero
                if digit != 0 { nonZeroDigit = true }
                if mantissa == 0 && digit == 0 {
                    decimalExponent -= 1
                } else if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significantDigits += 1
                    decimalExponent -= 1
                } else {
                    truncated = truncated || digit != 0
                }
                index += 1
            }
        }

        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == JSONByte.plus || bytes[index] == JSONByte.minus {
                exponentNegative = bytes[index] == JSONByte.minus
                index += 1
            }
            guard index < bytes.count else {
                throw failure(.unexpectedEndOfInput, expecting: "a digit in the exponent")
            }
            guard Self.isDigit(bytes[index]) else {
                throw failure(.unexpectedCharacter, expecting: "a digit in the exponent")
            }
            var exponent = 0
            while index < bytes.count, Self.isDigit(bytes[index]) {
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(bytes[index] - JSONByte.zero) }
                index += 1
            }
            decimalExponent += exponentNegative ? -exponent : exponent
        }

        if mantissa == 0 && !truncated {
            return negative ? -0.0 : 0.0
        }
        if !truncated, mantissa <= 1 << 53, (-22...22).contains(decimalExponent) {
            var value = Double(mantissa)
            if decimalExponent >= 0 {
                value *= Self.exactPowersOfTen[decimalExponent]
            } else {
                value /= Self.exactPowersOfTen[-decimalExponent]
            }
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[numberStart..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite, value != 0 || !nonZeroDigit else {
            let shown = text.count > 40 ? text.prefix(37) + "..." : Substring(text)
            throw failure(.numberOutOfRange, at: numberStart, "the number \(shown) is out of the range of a Double")
        }
        return value
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- JSONByte.zero < 10
    }

    // MARK: errors

    private func failure(_ kind: JSONParseError.Kind, expecting expected: String) -> JSONParseError {
        let found = index < bytes.count ? describeFound(at: index) : "end of input"
        return makeError(
            kind,
            at: index,
            expected: expected,
            found: found,
            message: "expected \(expected), found \(found)"
        )
    }

    private func failure(_ kind: JSONParseError.Kind, _ message: String) -> JSONParseError {
        makeError(kind, at: index, expected: nil, found: nil, message: message)
    }

    private func failure(_ kind: JSONParseError.Kind, at offset: Int, _ message: String) -> JSONParseError {
        makeError(kind, at: offset, expected: nil, found: nil, message: message)
    }

    private func controlCharacterFailure() -> JSONParseError {
        let byte = bytes[index]
        return makeError(
            .controlCharacterInString,
            at: index,
            expected: nil,
            found: nil,
            message: "the control character U+\(hex(UInt16(byte))) must be escaped in a string"
        )
    }

    private func invalidUTF8Failure(at offset: Int) -> JSONParseError {
        makeError(
            .invalidUTF8,
            at: offset,
            expected: nil,
            found: nil,
            message: "invalid UTF-8 (byte 0x\(String(bytes[offset], radix: 16, uppercase: true))) in a string"
        )
    }

    private func makeError(
        _ kind: JSONParseError.Kind,
        at offset: Int,
        expected: String?,
        found: String?,
        message: String
    ) -> JSONParseError {
        var line = 1
        var lineStart = start
        var position = start
        while position < offset {
            let byte = bytes[position]
            position += 1
            if byte == JSONByte.newline
                || (byte == JSONByte.carriageReturn && (position == bytes.count || bytes[position] != JSONByte.newline))
            {
                line += 1
                lineStart = position
            }
        }
        var column = 1
        for position in lineStart..<offset where bytes[position] & 0xC0 != 0x80 {
            column += 1
        }
        return JSONParseError(
            kind: kind,
            offset: offset,
            line: line,
            column: column,
            expected: expected,
            found: found,
            message: message
        )
    }

    /// A readable name for the character at `offset`: `'x'`, `U+000A`, `'é'`, or `byte 0xFF` for bad UTF-8.
    private func describeFound(at offset: Int) -> String {
        let byte = bytes[offset]
        if byte >= 0x80 {
            let tail = UnsafeBufferPointer(rebasing: bytes[offset..<min(offset + 4, bytes.count)])
            var iterator = tail.makeIterator()
            var decoder = UTF8()
            if case .scalarValue(let scalar) = decoder.decode(&iterator) {
                return "'\(Character(scalar))' (U+\(String(scalar.value, radix: 16, uppercase: true)))"
            }
            return "byte 0x\(String(byte, radix: 16, uppercase: true))"
        }
        return Self.describe(byte)
    }

    private static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x21...0x7E: "'\(Character(Unicode.Scalar(byte)))'"
        default: "U+\(hex(UInt16(byte)))"
        }
    }
}

/// Four upper-case hex digits.
private func hex(_ value: UInt16) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// The ASCII bytes the parser and the serialiser look for.
/// The plain run of string content shared by the parser (reading) and the writer (escaping).
extension JSONByte {
    /// Whether a string's byte must be escaped in JSON text: a control character, `"` or `\\`.
    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == quote || byte == backslash }

    /// How many bytes from the start of `utf8` need no escape, tested 8 at a time, and whether any of them is
    /// not ASCII (set in `nonASCII`, never cleared), so a caller knows when UTF-8 must be validated.
    static func plainRun(_ utf8: UnsafeBufferPointer<UInt8>, nonASCII: inout Bool) -> Int {
        let count = utf8.count
        var position = 0
        let highs: UInt64 = 0x8080_8080_8080_8080
        if count >= 8, let base = utf8.baseAddress {
            let raw = UnsafeRawPointer(base)
            var seen: UInt64 = 0
            defer { if seen & highs != 0 { nonASCII = true } }
            while position + 8 <= count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                let mask = escapeMask(word)
                if mask != 0 {
                    // The bytes below the first flagged one are plain too.
                    let plain = mask.trailingZeroBitCount / 8
                    seen |= word & ((1 << (8 * UInt64(plain))) &- 1)
                    return position + plain
                }
                seen |= word
                position += 8
            }
            // The last bytes, as the word that ends the buffer (it overlaps bytes already tested).
            let last = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            if position == count || escapeMask(last) == 0 {
                seen |= last
                return count
            }
        }
        while position < count {
            let byte = utf8[position]
            if needsEscape(byte) { return position }
            if byte >= 0x80 { nonASCII = true }
            position += 1
        }
        return position
    }

    /// The high bit of each byte of `word` (the first byte lowest) that ``needsEscape(_:)``, from the classic
    /// test for a byte below n, `(w - n·0x01…) & ~w & 0x80…`: once for 0x20, and on the word xor-ed with `"` and
    /// with `\\` for 1 (equal to it). A borrow can flag a byte above a flagged one, never one below, so the
    /// lowest bit set is exact.
    @inline(__always)
    static func escapeMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = word ^ (ones &* UInt64(quote))
        let backslashes = word ^ (ones &* UInt64(backslash))
        let control = (word &- ones &* 0x20) & ~word
        let quoteBits = (quotes &- ones) & ~quotes
        let backslashBits = (backslashes &- ones) & ~backslashes
        return (control | quoteBits | backslashBits) & 0x8080_8080_8080_8080
    }
}

enum JSONByte {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let period: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let colon: UInt8 = 0x3A
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D
}
