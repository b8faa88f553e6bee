/// A transform's arguments after validation against its spec, with defaults filled in, so a transform's factory
/// reads typed values and only checks what the types cannot say (a regex compiles, a time zone exists).
public struct TransformArguments: Sendable, Hashable {
    /// The transform these arguments configure.
    public let transform: String
    /// The validated values, defaults included; an argument given as null counts as absent.
    public let values: [String: JSONValue]

    /// Checks `raw` against `spec`: no unknown names, every required argument present, every value of its
    /// declared type and among its choices.
    public init(validating raw: [String: JSONValue], against spec: TransformSpec) throws {
        self.transform = spec.name
        for name in raw.keys.sorted() where spec.argument(named: name) == nil {
            let known = spec.arguments.map(\.name)
            let hint = known.isEmpty ? "it takes no arguments" : "known: " + known.joined(separator: ", ")
            throw TransformError(.unknownArgument, transform: spec.name, argument: name, "unknown argument; \(hint)")
        }
        var values: [String: JSONValue] = [:]
        for argument in spec.arguments {
            let given: JSONValue? = raw[argument.name] == .null ? nil : raw[argument.name]
            guard let value = given ?? argument.defaultValue else {
                if argument.isRequired {
                    throw TransformError(
                        .missingArgument,
                        transform: spec.name,
                        argument: argument.name,
                        "required argument is missing"
                    )
                }
                continue
            }
            guard argument.type.accepts(value) else {
                throw TransformError(
                    .invalidArgument,
                    transform: spec.name,
                    argument: argument.name,
                    "expected \(argument.type.rawValue), got \(value.typeDescription)"
                )
            }
            if !argument.choices.isEmpty, let text = value.stringValue, !argument.choices.contains(text) {
                throw TransformError(
                    .invalidArgument,
                    transform: spec.name,
                    argument: argument.name,
                    "'\(text)' is not one of: " + argument.choices.joined(separator: ", ")
                )
            }
            values[argument.name] = value
        }
        self.values = values
    }

    /// The raw value of an argument, if present.
    public func value(_ name: String) -> JSONValue? {
        values[name]
    }

    /// A string argument, if present.
    public func optionalString(_ name: String) -> String? {
        values[name]?.stringValue
    }

    /// A string argument that is required or has a default.
    public func string(_ name: String) throws -> String {
        guard let value = optionalString(name) else { throw missing(name) }
        return value
    }

    /// An integer argument, if present.
    public func optionalInteger(_ name: String) -> Int? {
        guard case .number(let number)? = values[name] else { return nil }
        return Int(exactly: number)
    }

    /// An integer argument that is required or has a default.
    public func integer(_ name: String) throws -> Int {
        guard let value = optionalInteger(name) else { throw missing(name) }
        return value
    }

    /// A number argument that is required or has a default.
    public func number(_ name: String) throws -> Double {
        guard case .number(let number)? = values[name] else { throw missing(name) }
        return number
    }

    /// A boolean argument that is required or has a default.
    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let flag)? = values[name] else { throw missing(name) }
        return flag
    }

    /// A list-of-strings argument, if present.
    public func optionalStrings(_ name: String) -> [String]? {
        guard case .array(let items)? = values[name] else { return nil }
        return items.compactMap(\.stringValue)
    }

    /// A list-of-strings argument that is required or has a default.
    public func strings(_ name: String) throws -> [String] {
        guard let value = optionalStrings(name) else { throw missing(name) }
        return value
    }

    /// An object argument that is required or has a default.
    public func object(_ name: String) throws -> [String: JSONValue] {
        guard case .object(let members)? = values[name] else { throw missing(name) }
        return members
    }

    /// An error saying the named argument has an unusable value.
    public func invalid(_ name: String, _ message: String) -> TransformError {
        TransformError(.invalidArgument, transform: transform, argument: name, message)
    }

    private func missing(_ name: String) -> TransformError {
        TransformError(.missingArgument, transform: transform, argument: name, "required argument is missing")
    }
}
