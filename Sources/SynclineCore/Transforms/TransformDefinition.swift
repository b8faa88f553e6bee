/// A transform as the registry knows it: its spec plus a factory that turns validated arguments into a
/// configured `Transform`. Host applications can add their own definitions to a registry.
public struct TransformDefinition: Sendable {
    public let spec: TransformSpec
    private let factory: @Sendable (TransformArguments) throws -> Transform.Implementation

    public init(
        spec: TransformSpec,
        factory: @escaping @Sendable (TransformArguments) throws -> Transform.Implementation
    ) {
        self.spec = spec
        self.factory = factory
    }

    /// Validates `arguments` and builds the configured transform; errors name the transform and argument.
    public func make(arguments: [String: JSONValue]) throws -> Transform {
        let validated = try TransformArguments(validating: arguments, against: spec)
        do {
            return Transform(spec: spec, arguments: validated, implementation: try factory(validated))
        } catch let error as TransformError {
            throw error.naming(transform: spec.name)
        } catch {
            throw TransformError(.invalidArgument, transform: spec.name, String(describing: error))
        }
    }
}
