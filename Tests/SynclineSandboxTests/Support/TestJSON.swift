import Foundation
import Hummingbird

/// A decoded JSON value for assertions. A small strict parser (RFC 8259: no trailing commas, no comments),
/// so a broken body fails to parse, and fast enough to read pages of thousands of records.
enum TestJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([TestJSON])
    case object([String: TestJSON])

    struct SyntaxError: Error, CustomStringConvertible {
        let offset: Int
        var description: String { "invalid JSON at byte \(offset)" }
    }

    static func parse(_ buffer: ByteBuffer) throws -> TestJSON {
        var parser = Parser(bytes: Array(buffer.readableBytesView))
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw SyntaxError(offset: parser.index) }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        func fail() -> SyntaxError { SyntaxError(offset: index) }

        mutating func expect(_ byte: UInt8) throws {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte else { throw fail() }
            index += 1
        }

        mutating func literal(_ text: String, _ value: TestJSON) throws -> TestJSON {
            let expected = Array(text.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected
            else { throw fail() }
            index += expected.count
            return value
        }

        mutating func value() throws -> TestJSON {
            skipWhitespace()
            guard index < bytes.count else { throw fail() }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default: return try number()
            }
        }

        mutating func object() throws -> TestJSON {
            try expect(UInt8(ascii: "{"))
            var members: [String: TestJSON] = [:]
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                let key = try string()
                try expect(UInt8(ascii: ":"))
                members[key] = try value()
                skipWhitespace()
                guard index < bytes.count else { throw fail() }
                index += 1
                if bytes[index - 1] == UInt8(ascii: "}") { return .object(members) }
                guard bytes[index - 1] == UInt8(ascii: ",") else { throw fail() }
            }
        }

        mutating func array() throws -> TestJSON {
            try expect(UInt8(ascii: "["))
            var elements: [TestJSON] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                elements.append(try value())
                skipWhitespace()
                guard index < bytes.count else { throw fail() }
                index += 1
                if bytes[index - 1] == UInt8(ascii: "]") { return .array(elements) }
                guard bytes[index - 1] == UInt8(ascii: ",") else { throw fail() }
            }
        }

        mutating func string() throws -> String {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail() }
            index += 1
            var scalars = String.UnicodeScalarView()
            var start = index
            func flush(_ end: Int) throws {
                guard let chunk = String(validating: bytes[start..<end], as: UTF8.self) else { throw fail() }
                scalars.append(contentsOf: chunk.unicodeScalars)
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    try flush(index)
                    index += 1
                    return String(scalars)
                }
                guard byte >= 0x20 else { throw fail() }
                if byte == UInt8(ascii: "\\") {
                    try flush(index)
                    index += 1
                    guard index < bytes.count else { throw fail() }
                    switch bytes[index] {
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                        scalars.append(Unicode.Scalar(bytes[index]))
                    case UInt8(ascii: "u"):
                        guard index + 4 < bytes.count,
                            let code = UInt32(
                                String(decoding: bytes[(index + 1)...(index + 4)], as: UTF8.self),
                                radix: 16
                            ),
                            let scalar = Unicode.Scalar(code)
                        else { throw fail() }
                        scalars.append(scalar)
                        index += 4
                    default: throw fail()
                    }
                    index += 1
                    start = index
                } else {
                    index += 1
                }
            }
            throw fail()
        }

        mutating func number() throws -> TestJSON {
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if let value = Int(text) { return .int(value) }
            guard !text.isEmpty, let value = Double(text) else { throw fail() }
            return .double(value)
        }
    }

    subscript(_ key: String) -> TestJSON? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    var double: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var array: [TestJSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    var keys: Set<String> {
        guard case .object(let members) = self else { return [] }
        return Set(members.keys)
    }
}
