import Foundation

extension JSONValue {
    /// Compact JSON text with sorted keys, so equal values always serialise to equal strings.
    ///
    /// The output is byte for byte what Foundation's JSONEncoder produces with `[.sortedKeys,
    /// .withoutEscapingSlashes]` on Linux: keys in UTF-8 byte order; whole numbers below 2^53 without a decimal
    /// point (`-0.0` as `0`); other numbers in Swift's shortest round-trip form (`0.1`, `1e+21`, `1.5e-07`);
    /// `"`, `\` and control characters escaped (`\n`, `\t`, `\u001f`), `/` and non-ASCII left as they are.
    /// Throws `EncodingError.invalidValue`, as JSONEncoder does, for NaN or an infinity and for arrays and
    /// objects nested 512 or more levels deep.
    public func jsonString() throws -> String {
        String(decoding: try jsonBytes(), as: UTF8.self)
    }

    /// The UTF-8 bytes of ``jsonString()``, for hashing and storage without building a String.
    public func jsonBytes() throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        try appendJSON(to: &bytes)
        return bytes
    }

    /// Appends the UTF-8 bytes of ``jsonString()``. On error `bytes` may hold part of the text.
    public func appendJSON(to bytes: inout [UInt8]) throws {
        var writer = JSONTextWriter(bytes: bytes)
        bytes = []
        defer { bytes = writer.bytes }
        do {
            try writer.write(self, depth: 0)
        } catch {
            throw encodingError()
        }
    }

    /// The error JSONEncoder reports: a non-finite number wins (with its path, found in the order JSONEncoder
    /// visits values) over nesting that is too deep.
    private func encodingError() -> EncodingError {
        var path: [JSONIndexedCodingKey] = []
        if let number = firstNonFiniteNumber(path: &path) {
            return .invalidValue(
                number,
                EncodingError.Context(
                    codingPath: path,
                    debugDescription: "Unable to encode Double.\(number) directly in JSON."
                )
            )
        }
        return .invalidValue(
            self,
            EncodingError.Context(
                codingPath: [],
                debugDescription: "Unable to encode the given top-level value to JSON."
            )
        )
    }

    private func firstNonFiniteNumber(path: inout [JSONIndexedCodingKey]) -> Double? {
        switch self {
        case .number(let number): return number.isFinite ? nil : number
        case .null, .bool, .string: return nil
        case .array(let elements):
            guard path.count < JSONTextWriter.searchDepthLimit else { return nil }
            for (position, element) in elements.enumerated() {
                path.append(JSONIndexedCodingKey(intValue: position))
                if let found = element.firstNonFiniteNumber(path: &path) { return found }
                path.removeLast()
            }
            return nil
        case .object(let members):
            guard path.count < JSONTextWriter.searchDepthLimit else { return nil }
            for (key, member) in members {
                path.append(JSONIndexedCodingKey(stringValue: key))
                if let found = member.firstNonFiniteNumber(path: &path) { return found }
                path.removeLast()
            }
            return nil
        }
    }
}

/// A coding key for the paths in serialisation errors, spelled as JSONEncoder spells them (`Index 3`).
private struct JSONIndexedCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}

/// Why ``JSONTextWriter`` stopped; turned into JSONEncoder's errors by ``JSONValue/appendJSON(to:)``.
enum JSONSerializationFailure: Error {
    case nonFiniteNumber
    case nestingTooDeep
}

/// The compact serialiser behind ``JSONValue/jsonString()``.
struct JSONTextWriter {
    /// Containers at this depth (the top-level container is depth 1) cannot be written, as in JSONEncoder.
    static let maximumDepth = 512
    /// How deep the error path search goes, so a value built in code cannot exhaust the stack.
    static let searchDepthLimit = 10_000

    var bytes: [UInt8]

    mutating func write(_ value: JSONValue, depth: Int) throws(JSONSerializationFailure) {
        switch value {
        case .null: append("null")
        case .bool(let flag): flag ? append("true") : append("false")
        case .number(let number): try writeNumber(number)
        case .string(let text): writeString(text)
        case .array(let elements):
            guard depth + 1 < Self.maximumDepth else { throw .nestingTooDeep }
            bytes.append(JSONByte.openBracket)
            var first = true
            for element in elements {
                if !first { bytes.append(JSONByte.comma) }
                first = false
                try write(element, depth: depth + 1)
            }
            bytes.append(JSONByte.closeBracket)
        case .object(let members):
            guard depth + 1 < Self.maximumDepth else { throw .nestingTooDeep }
            try writeObject(members, depth: depth)
        }
    }

    /// A key's place in the sorted order: its first 8 bytes as one number, and where the member is.
    private typealias KeyOrder = (prefix: UInt64, index: Dictionary<String, JSONValue>.Index)

    private mutating func writeObject(_ members: [String: JSONValue], depth: Int) throws(JSONSerializationFailure) {
        bytes.append(JSONByte.openBrace)
        if members.count == 1, let only = members.first {
            writeString(only.key)
            bytes.append(JSONByte.colon)
            try write(only.value, depth: depth + 1)
        } else if !members.isEmpty {
            // Sorted by the first 8 bytes of each key as one number, whole keys compared only on a tie. Indices,
            // not members, are sorted, and keys read through `keys` (`members[index]` copies the value too, a
            // retain and a release). The order is built by walking the indices: `indices.map` counted them first.
            let keys = members.keys
            var order: [KeyOrder] = []
            order.reserveCapacity(members.count)
            var index = members.startIndex
            while index != members.endIndex {
                order.append((Self.utf8Prefix(keys[index]), index))
                members.formIndex(after: &index)
            }
            Self.sort(&order, keys: keys)
            var first = true
            for (_, position) in order {
                if !first { bytes.append(JSONByte.comma) }
                first = false
                let (key, member) = members[position]
                writeString(key)
                bytes.append(JSONByte.colon)
                try write(member, depth: depth + 1)
            }
        }
        bytes.append(JSONByte.closeBrace)
    }

    /// An insertion sort for the few keys a record has (the stdlib's sort went through closures and a merge
    /// buffer for 13 keys); many keys go to the stdlib's.
    private static func sort(_ order: inout [KeyOrder], keys: Dictionary<String, JSONValue>.Keys) {
        func precedes(_ left: KeyOrder, _ right: KeyOrder) -> Bool {
            left.prefix != right.prefix ? left.prefix < right.prefix : utf8Precedes(keys[left.index], keys[right.index])
        }
        guard order.count <= 32 else {
            order.sort(by: precedes)
            return
        }
        order.withUnsafeMutableBufferPointer { order in
            for sorted in 1..<order.count {
                let moving = order[sorted]
                var hole = sorted
                while hole > 0, precedes(moving, order[hole - 1]) {
                    order[hole] = order[hole - 1]
                    hole -= 1
                }
                order[hole] = moving
            }
        }
    }

    @inline(__always)
    private mutating func append(_ literal: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Whole numbers below 2^53 as integers (as `JSONValue.encode(to:)` hands them to JSONEncoder as Int64);
    /// the rest as JSONEncoder writes a Double: its description without a trailing `.0`.
    private mutating func writeNumber(_ number: Double) throws(JSONSerializationFailure) {
        // Whole by conversion (the magnitude is below 2^53, so it fits a UInt64): libm's `round` was most of
        // this function. NaN fails the comparison; -0.0 passes and is written as `0`.
        let magnitude = number.magnitude
        if magnitude < 9_007_199_254_740_992, Double(UInt64(magnitude)) == magnitude {
            var digits = UInt64(magnitude)
            if number < 0 { bytes.append(JSONByte.minus) }
            if digits < 10 {
                bytes.append(JSONByte.zero + UInt8(truncatingIfNeeded: digits))
                return
            }
            // Digits from the last, into a stack buffer, appended once: reversing them in `bytes` went through a
            // slice of the array.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
                var start = buffer.count
                repeat {
                    start -= 1
                    buffer[start] = JSONByte.zero + UInt8(truncatingIfNeeded: digits % 10)
                    digits /= 10
                } while digits > 0
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start...]))
            }
            return
        }
        guard number.isFinite else { throw .nonFiniteNumber }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// A quoted string, escaped as JSONEncoder escapes it. Text with nothing to escape (nearly all of it) is
    /// found so 8 bytes at a time and copied whole; checking byte by byte was a fifth of writing a record.
    private mutating func writeString(_ text: String) {
        bytes.append(JSONByte.quote)
        // `utf8`'s contiguous storage (in place, or a small string's bytes on the stack); `withUTF8` needs a
        // mutable copy of the string, a retain and a release.
        if text.utf8.withContiguousStorageIfAvailable({ utf8 in writeEscaped(utf8) }) == nil {
            var text = text
            text.withUTF8 { utf8 in writeEscaped(utf8) }
        }
        bytes.append(JSONByte.quote)
    }

    private mutating func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var nonASCII = false
        let plain = JSONByte.plainRun(utf8, nonASCII: &nonASCII)
        if plain == utf8.count {
            bytes.append(contentsOf: utf8)
            return
        }
        var runStart = 0
        for position in plain..<utf8.count {
            let byte = utf8[position]
            guard JSONByte.needsEscape(byte) else { continue }
            if runStart < position {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<position]))
            }
            runStart = position + 1
            bytes.append(JSONByte.backslash)
            switch byte {
            case JSONByte.quote, JSONByte.backslash: bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case JSONByte.newline: bytes.append(UInt8(ascii: "n"))
            case JSONByte.carriageReturn: bytes.append(UInt8(ascii: "r"))
            case JSONByte.tab: bytes.append(UInt8(ascii: "t"))
            default:
                append("u00")
                bytes.append(Self.lowercaseHexDigit(byte >> 4))
                bytes.append(Self.lowercaseHexDigit(byte & 0x0F))
            }
        }
        if runStart < utf8.count {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
    }

    @inline(__always)
    private static func lowercaseHexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? JSONByte.zero + value : UInt8(ascii: "a") + value - 10
    }

    /// JSONEncoder's `sortedKeys` order on Linux: lexicographic by UTF-8 bytes (which is also code point order).
    /// The first 8 UTF-8 bytes of `text`, big-endian, zero-padded: a number whose order is the byte order of
    /// the texts wherever they differ within 8 bytes; texts with equal prefixes must be compared whole.
    static func utf8Prefix(_ text: String) -> UInt64 {
        // Through `withUTF8` (a small string is copied to the stack, a native one read in place): iterating
        // `utf8` cost about 280 instructions a key.
        var text = text
        return text.withUTF8 { utf8 in
            if utf8.count >= 8, let base = utf8.baseAddress {
                return UInt64(bigEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self))
            }
            var prefix: UInt64 = 0
            for byte in utf8 { prefix = prefix << 8 | UInt64(byte) }
            return prefix << (8 * UInt64(8 - utf8.count))
        }
    }

    static func utf8Precedes(_ lhs: String, _ rhs: String) -> Bool {
        let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                let common = min(left.count, right.count)
                var position = 0
                while position < common {
                    if left[position] != right[position] { return left[position] < right[position] }
                    position += 1
                }
                return left.count < right.count
            }
        }
        if let fast, let result = fast { return result }
        return lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
