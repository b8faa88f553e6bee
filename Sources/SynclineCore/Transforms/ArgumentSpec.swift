/// The declaration of one transform argument, used both to validate a mapping before it runs and to document it.
public struct ArgumentSpec: Sendable, Hashable {
    /// The JSON shapes an argument can take.
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        case string
        case integer
        case number
        case boolean
        case stringList = "list of strings"
        case object
        case any

        /// Whether `value` has this type.
        func accepts(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.any, _), (.string, .string), (.number, .number), (.boolean, .bool), (.object, .object):
                return true
            case (.integer, .number(let number)):
                return JSONValue.isExactInteger(number)
            case (.stringList, .array(let items)):
                return items.allSatisfy { $0.stringValue != nil }
            default:
                return false
            }
        }
    }

    public let name: String
    public let type: ValueType
    public let isRequired: Bool
    /// The value used when the argument is absent; nil when absence has its own meaning.
    public let defaultValue: JSONValue?
    /// The only accepted values of a string argument; empty for any value.
    public let choices: [String]
    public let summary: String

    public init(
        _ name: String,
        _ type: ValueType,
        required: Bool = false,
        default defaultValue: JSONValue? = nil,
        choices: [String] = [],
        _ summary: String
    ) {
        self.name = name
        self.type = type
        self.isRequired = required
        self.defaultValue = defaultValue
        self.choices = choices
        self.summary = summary
    }
}
