/// What validation can tell, without data, about the value a rule's pipeline gives: nothing, its kind, or the only
/// values it can give (a strict `value_map`). Used to refuse a rule whose output can never fit its target field.
enum OutputShape: Sendable, Hashable {
    case unknown
    case kind(ValueKind)
    /// The pipeline gives one of these values (or null).
    case constants([JSONValue])

    /// The kinds of value a known transform gives.
    enum ValueKind: Sendable, Hashable {
        case string, integer, number, boolean, date, datetime, array, object

        var description: String {
            switch self {
            case .string: "a string"
            case .integer: "a whole number"
            case .number: "a number"
            case .boolean: "a boolean"
            case .date: "a date"
            case .datetime: "a timestamp"
            case .array: "an array"
            case .object: "an object"
            }
        }

        /// The kind of a constant, nil for null.
        init?(of value: JSONValue) {
            switch value {
            case .null: return nil
            case .string: self = .string
            case .number(let number): self = number.rounded() == number ? .integer : .number
            case .bool: self = .boolean
            case .array: self = .array
            case .object: self = .object
            }
        }
    }

    /// The shape of a source path's value: an array for a wildcard path, else unknown.
    init(source path: JSONPath) {
        self = path.hasWildcard ? .kind(.array) : .unknown
    }

    /// The shape after `transform` runs on a value of this shape. Only the standard transforms are known (a
    /// registry may replace one under the same name, so the caller checks the spec is the standard one).
    func after(_ transform: Transform) -> OutputShape {
        let arguments = transform.arguments
        switch transform.name {
        case "to_string", "trim", "lower", "upper", "title_case", "truncate", "slug", "regex_replace", "template",
            "concat", "join", "sha256", "stable_uuid", "email_normalize", "format_date":
            return .kind(.string)
        case "phone_e164":
            return arguments.optionalString("on_invalid") == "keep" ? .unknown : .kind(.string)
        case "to_integer", "floor", "ceil", "iso_to_unix_millis":
            return .kind(.integer)
        case "round":
            return (arguments.optionalInteger("places") ?? 0) <= 0 ? .kind(.integer) : .kind(.number)
        case "to_number", "multiply", "divide", "parse_currency", "unit_convert", "iso_to_unix_seconds":
            return .kind(.number)
        case "to_boolean", "boolean_invert":
            return .kind(.boolean)
        case "parse_date":
            return arguments.optionalString("output") == "date" ? .kind(.date) : .kind(.datetime)
        case "timezone_convert", "unix_seconds_to_iso", "unix_millis_to_iso":
            return .kind(.datetime)
        case "split":
            return .kind(.array)
        case "regex_extract":
            return arguments.value("all") == .bool(true) ? .kind(.array) : .kind(.string)
        case "lookup":
            return ["error", "null"].contains(arguments.optionalString("missing") ?? "error")
                ? .kind(.string) : .unknown
        case "null_if_empty":
            return self
        case "value_map":
            guard case .object(let map)? = arguments.value("map") else { return .unknown }
            if let fallback = arguments.value("default") { return .constants(Array(map.values) + [fallback]) }
            return arguments.value("strict") == .bool(true) ? .constants(Array(map.values)) : .unknown
        case "default":
            guard let replacement = arguments.value("value") else { return .unknown }
            switch self {
            case .constants(let values): return .constants(values + [replacement])
            case .kind(let kind):
                guard let other = ValueKind(of: replacement) else { return self }
                if other == kind { return self }
                if [kind, other].allSatisfy({ $0 == .integer || $0 == .number }) { return .kind(.number) }
                if kind == .date || kind == .datetime, other == .string { return .kind(.string) }
                return .unknown
            case .unknown: return .unknown
            }
        default:
            return .unknown
        }
    }

    /// Whether every non-null value of this shape fits a field of `type`, once `mismatch` found no problem, so the
    /// check per record can be skipped: a set of constants that were each checked; a date or timestamp kind
    /// written by the standard date transforms into a field of that kind; or a string, boolean, array or object
    /// from a standard transform into a field of that type, which the check would only test the tag of (a check
    /// per field was a visible share of mapping a record). Numbers are not trusted: a kind such as `integer` from
    /// `floor` can still be too large for the field.
    func alwaysFits(_ type: ModelFieldType) -> Bool {
        switch (self, type) {
        case (.constants, _), (.kind(.date), .date), (.kind(.datetime), .datetime), (.kind(.string), .string),
            (.kind(.boolean), .boolean), (.kind(.array), .array), (.kind(.object), .object):
            true
        default: false
        }
    }

    /// Why a value of this shape can never fit a field of `type`, with a hint; nil when it can or may.
    func mismatch(with type: ModelFieldType, check: FieldCheck) -> String? {
        switch self {
        case .unknown:
            return nil
        case .constants(let values):
            for value in values where value != .null {
                if let problem = check.problem(with: value) { return "can give a value that does not fit: " + problem }
            }
            return nil
        case .kind(let kind):
            guard let hint = Self.hint(kind, type) else { return nil }
            return "gives \(kind.description), but the field is \(Self.describe(type))"
                + (hint.isEmpty ? "" : "; \(hint)")
        }
    }

    /// Nil when `kind` can fit `type` (perhaps only for some values, checked per record); otherwise a hint.
    private static func hint(_ kind: ValueKind, _ type: ModelFieldType) -> String? {
        switch (type, kind) {
        case (.string, .string), (.string, .date), (.string, .datetime),
            (.integer, .integer), (.integer, .number), (.number, .integer), (.number, .number),
            (.boolean, .boolean), (.date, .date), (.date, .string), (.datetime, .datetime), (.datetime, .string),
            (.enumeration, .string), (.object, .object), (.array, .array):
            return nil
        case (.string, .integer), (.string, .number), (.string, .boolean):
            return "add to_string"
        case (.string, .array), (.enumeration, .array):
            return "add first or join"
        case (.integer, .string), (.integer, .boolean):
            return "add to_integer"
        case (.number, .string), (.number, .boolean):
            return "add to_number"
        case (.boolean, .string), (.boolean, .integer), (.boolean, .number):
            return "add to_boolean"
        case (.date, .datetime):
            return "use parse_date with output: date"
        case (.datetime, .date):
            return "a date has no time; use parse_date"
        case (.datetime, .integer), (.datetime, .number):
            return "add unix_seconds_to_iso or unix_millis_to_iso"
        case (.enumeration, .integer), (.enumeration, .number), (.enumeration, .boolean):
            return "add value_map to the field's values"
        case (.array, _):
            return "add split"
        default:
            return ""
        }
    }

    static func describe(_ type: ModelFieldType) -> String {
        switch type {
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "a boolean"
        case .date: "a date"
        case .datetime: "a datetime"
        case .object: "an object"
        case .array: "an array"
        case .enumeration(let values): "an enum of " + values.joined(separator: ", ")
        }
    }
}
