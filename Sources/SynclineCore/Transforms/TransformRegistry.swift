/// Every transform a mapping may name, by name: the one place mappings are validated against and the
/// reference documentation is rendered from.
public struct TransformRegistry: Sendable {
    /// The definitions by name.
    public let definitions: [String: TransformDefinition]

    /// A registry of `definitions`; a later definition replaces an earlier one of the same name.
    public init(_ definitions: [TransformDefinition]) {
        self.definitions = Dictionary(definitions.map { ($0.spec.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The transforms Syncline ships.
    public static let standard = TransformRegistry(TransformDefinition.standard)

    /// The specs of all transforms, ordered by name.
    public var specs: [TransformSpec] {
        definitions.values.map(\.spec).sorted { $0.name < $1.name }
    }

    /// The spec of the named transform.
    public func spec(named name: String) -> TransformSpec? {
        definitions[name]?.spec
    }

    /// This registry with `definition` added (replacing any of the same name).
    public func adding(_ definition: TransformDefinition) -> TransformRegistry {
        TransformRegistry(Array(definitions.values) + [definition])
    }

    /// Builds a configured transform, validating its arguments; errors name the transform and the argument.
    public func make(_ name: String, arguments: [String: JSONValue] = [:]) throws -> Transform {
        guard let definition = definitions[name] else {
            throw TransformError(.unknownTransform, transform: name, "no transform of this name")
        }
        return try definition.make(arguments: arguments)
    }

    /// Builds a configured transform from a stored step.
    public func make(_ step: TransformStep) throws -> Transform {
        try make(step.name, arguments: step.arguments)
    }
}
