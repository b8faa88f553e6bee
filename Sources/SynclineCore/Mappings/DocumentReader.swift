/// Reads a JSON document (a mapping, a model) field by field, collecting a problem with its path for every
/// missing, mistyped or unknown key instead of stopping at the first.
struct DocumentReader {
    private(set) var problems: [MappingProblem] = []

    /// The path of `key` under `base` (`rules[2]` + `source` -> `rules[2].source`).
    static func path(_ base: String, _ key: String) -> String {
        base.isEmpty ? key : base + "." + key
    }

    /// The path of element `index` under `base` (`rules` + 2 -> `rules[2]`).
    static func path(_ base: String, index: Int) -> String {
        base + "[\(index)]"
    }

    mutating func report(_ path: String, _ message: String, rule: Int? = nil) {
        problems.append(MappingProblem(path: path, message: message, rule: rule))
    }

    /// The members of an object, reporting a non-object and every key outside `allowed`.
    mutating func object(_ value: JSONValue, at path: String, allowed: [String], rule: Int? = nil)
        -> [String: JSONValue]?
    {
        guard case .object(let members) = value else {
            report(path, "must be an object, got \(value.typeDescription)", rule: rule)
            return nil
        }
        for key in members.keys.sorted() where !allowed.contains(key) {
            report(
                Self.path(path, key),
                "unknown key; expected one of: " + allowed.sorted().joined(separator: ", "),
                rule: rule
            )
        }
        return members
    }

    /// A string member; a missing one is reported when `required`.
    mutating func string(
        _ members: [String: JSONValue],
        _ key: String,
        at path: String,
        required: Bool,
        rule: Int? = nil
    ) -> String? {
        switch members[key] {
        case nil, .null?:
            if required { report(Self.path(path, key), "is required", rule: rule) }
            return nil
        case .string(let text)?:
            return text
        case let other?:
            report(Self.path(path, key), "must be a string, got \(other.typeDescription)", rule: rule)
            return nil
        }
    }

    /// A boolean member, or nil when absent.
    mutating func bool(_ members: [String: JSONValue], _ key: String, at path: String, rule: Int? = nil) -> Bool? {
        switch members[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case let other?:
            report(Self.path(path, key), "must be true or false, got \(other.typeDescription)", rule: rule)
            return nil
        }
    }

    /// An array member; a missing one is reported when `required`, and is empty otherwise.
    mutating func array(
        _ members: [String: JSONValue],
        _ key: String,
        at path: String,
        required: Bool,
        rule: Int? = nil
    ) -> [JSONValue]? {
        switch members[key] {
        case nil, .null?:
            if required { report(Self.path(path, key), "is required", rule: rule) }
            return required ? nil : []
        case .array(let items)?:
            return items
        case let other?:
            report(Self.path(path, key), "must be an array, got \(other.typeDescription)", rule: rule)
            return nil
        }
    }

    /// An object member, empty when absent.
    mutating func members(
        _ members: [String: JSONValue],
        _ key: String,
        at path: String,
        rule: Int? = nil
    ) -> [String: JSONValue]? {
        switch members[key] {
        case nil, .null?: return [:]
        case .object(let value)?: return value
        case let other?:
            report(Self.path(path, key), "must be an object, got \(other.typeDescription)", rule: rule)
            return nil
        }
    }

    /// Throws the collected problems, if any.
    func finish() throws(MappingError) {
        if !problems.isEmpty { throw MappingError(problems) }
    }
}
