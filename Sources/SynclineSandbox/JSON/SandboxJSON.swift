/// A JSON value with ordered object members, written by hand so emulated APIs control their bytes exactly
/// (field order, truncation, deliberate syntax errors) and stream large pages without an encoder.
enum SandboxJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([SandboxJSON])
    case object([Member])

    /// One object member; a struct rather than a tuple so values stay `Equatable`.
    struct Member: Sendable, Equatable {
        let name: String
        let value: SandboxJSON
    }

    /// Builds an object from name-value pairs in the order given.
    static func object(_ pairs: KeyValuePairs<String, SandboxJSON>) -> SandboxJSON {
        .object(pairs.map { Member(name: $0.key, value: $0.value) })
    }

    /// A string, or `null` when absent.
    static func optional(_ text: String?) -> SandboxJSON {
        text.map(SandboxJSON.string) ?? .null
    }

    /// The compact JSON text.
    var text: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// The compact JSON text as UTF-8 bytes, the form a response body takes.
    var bytes: [UInt8] {
        var output: [UInt8] = []
        write(to: &output)
        return output
    }

    /// Appends the compact JSON text. Bytes, not a `String`: each append to a string re-checks its storage and
    /// counts, and writing pages of a thousand records that way was most of the emulator's time, on the same
    /// cores as the importer it serves.
    func write(to output: inout [UInt8]) {
        switch self {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let value):
            output.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value):
            output.append(contentsOf: String(value).utf8)
        case .double(let value):
            output.append(contentsOf: (value.isFinite ? String(value) : "null").utf8)
        case .string(let value):
            Self.writeString(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(member.name, to: &output)
                output.append(UInt8(ascii: ":"))
                member.value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        // Most text needs no escaping: appended whole, it costs one copy instead of one append per byte. Scanned
        // in place: `contains(where:)` on the UTF-8 view went through its generic iterator, byte by byte.
        let copied =
            value.utf8.withContiguousStorageIfAvailable { text in
                for byte in text where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    return false
                }
                output.append(contentsOf: text)
                return true
            } ?? false
        if copied {
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): output.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\r"): output.append(contentsOf: "\\r".utf8)
            case UInt8(ascii: "\t"): output.append(contentsOf: "\\t".utf8)
            case ..<0x20:
                let hex = String(byte, radix: 16)
                output.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default:
                // Bytes of other scalars, multi-byte ones included, are copied as they are: valid UTF-8 in, valid out.
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
