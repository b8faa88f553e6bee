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
        var output = ""
        write(to: &output)
        return output
    }

    func write(to output: inout String) {
        switch self {
        case .null:
            output += "null"
        case .bool(let value):
            output += value ? "true" : "false"
        case .int(let value):
            output += String(value)
        case .double(let value):
            output += value.isFinite ? String(value) : "null"
        case .string(let value):
            Self.writeString(value, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += "," }
                Self.writeString(member.name, to: &output)
                output += ":"
                member.value.write(to: &output)
            }
            output += "}"
        }
    }

    static func writeString(_ value: String, to output: inout String) {
        output += "\""
        // Most text needs no escaping: appended whole, it costs one copy instead of one append per scalar (the
        // emulator's pages of a thousand records were slower to write than Syncline was to store them).
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            output += value
            output += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
