/// The type of one field of an entity model, so a mapping can be checked before it runs and each mapped value
/// after it ran. Wire names: `string`, `integer`, `number`, `boolean`, `date`, `datetime`, `enum` (with its
/// `values`), `object`, `array`.
public enum ModelFieldType: Sendable, Hashable {
    case string
    /// A whole number (a JSON number without a fraction).
    case integer
    case number
    case boolean
    /// A calendar date, `YYYY-MM-DD`.
    case date
    /// An ISO 8601 timestamp with a time (`2024-03-10T09:30:00Z`).
    case datetime
    case object
    case array
    /// A string that must be one of the given values.
    case enumeration([String])

    /// The name used in model documents and the API.
    public var wireName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .date: "date"
        case .datetime: "datetime"
        case .object: "object"
        case .array: "array"
        case .enumeration: "enum"
        }
    }

    /// The allowed values of an `enum` field; nil for the other types.
    public var enumValues: [String]? {
        if case .enumeration(let values) = self { return values }
        return nil
    }

    /// The wire names, in documentation order.
    public static let wireNames = [
        "string", "integer", "number", "boolean", "date", "datetime", "enum", "object", "array",
    ]

    /// The type of a wire name; `values` is used only by `enum`. Nil for an unknown name.
    public init?(wireName: String, values: [String] = []) {
        switch wireName {
        case "string": self = .string
        case "integer": self = .integer
        case "number": self = .number
        case "boolean": self = .boolean
        case "date": self = .date
        case "datetime": self = .datetime
        case "object": self = .object
        case "array": self = .array
        case "enum": self = .enumeration(values)
        default: return nil
        }
    }
}
