/// The check a mapped, non-null value must pass for its target field's type, prepared once per rule so mapping a
/// record does no set-up. Lenient where no meaning is lost (an integer field takes `12.0`), honest otherwise:
/// no implicit conversion (a string `"12"` is not an integer; `to_integer` makes it one).
struct FieldCheck: Sendable {
    private enum Kind: Sendable {
        case string, integer, number, boolean, date, datetime, object, array
        case enumeration(Set<String>, [String])
    }

    private let kind: Kind

    init(_ type: ModelFieldType) {
        switch type {
        case .string: kind = .string
        case .integer: kind = .integer
        case .number: kind = .number
        case .boolean: kind = .boolean
        case .date: kind = .date
        case .datetime: kind = .datetime
        case .object: kind = .object
        case .array: kind = .array
        case .enumeration(let values): kind = .enumeration(Set(values), values)
        }
    }

    /// Nil when `value` fits the field; otherwise why it does not. Null is for the caller to judge. Matches the
    /// value against the kind without pairing them in a tuple, which copied both for every mapped field.
    func problem(with value: JSONValue) -> String? {
        switch kind {
        case .string:
            if case .string = value { return nil }
        case .number:
            if case .number = value { return nil }
        case .boolean:
            if case .bool = value { return nil }
        case .object:
            if case .object = value { return nil }
        case .array:
            if case .array = value { return nil }
        case .integer:
            guard case .number(let number) = value else { break }
            if JSONValue.isExactInteger(number) { return nil }
            return "expected a whole number, got \(Self.preview(value))"
        case .date:
            guard case .string(let text) = value else { break }
            if let fields = ISOTimestamp.parse(text), !fields.hasTime { return nil }
            return "expected a date (YYYY-MM-DD), got \(Self.preview(value))"
        case .datetime:
            guard case .string(let text) = value else { break }
            guard let fields = ISOTimestamp.parse(text) else {
                return "expected an ISO 8601 timestamp, got \(Self.preview(value))"
            }
            if fields.hasTime { return nil }
            return "expected an ISO 8601 timestamp with a time, got the date \(Self.preview(value))"
        case .enumeration(let allowed, let ordered):
            guard case .string(let text) = value else {
                return "expected one of: \(ordered.joined(separator: ", ")), got \(Self.preview(value))"
            }
            if allowed.contains(text) { return nil }
            return "\(Self.preview(value)) is not one of: " + ordered.joined(separator: ", ")
        }
        return "expected \(expected), got \(Self.preview(value))"
    }

    /// The kind of value the field takes, for messages.
    private var expected: String {
        switch kind {
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "a boolean"
        case .date: "a date (YYYY-MM-DD)"
        case .datetime: "an ISO 8601 timestamp"
        case .object: "an object"
        case .array: "an array"
        case .enumeration: "a string"
        }
    }

    /// A short, readable form of a value for messages: strings quoted and cut to 40 characters.
    static func preview(_ value: JSONValue) -> String {
        switch value {
        case .string(let text):
            let cut = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "a string (\"\(cut)\")"
        case .number(let number): return "a number (\(JSONValue.text(of: number)))"
        case .bool(let flag): return "a boolean (\(flag))"
        case .null: return "null"
        case .array(let items): return "an array of \(items.count)"
        case .object: return "an object"
        }
    }
}
