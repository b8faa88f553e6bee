/// One configured transform step, ready to apply to values: its spec, its validated arguments and the pure
/// functions that run it forward and (when it reverses) backward.
public struct Transform: Sendable {
    /// The functions that do the work; errors they throw are completed with the transform's name.
    public struct Implementation: Sendable {
        let forward: @Sendable (JSONValue, TransformContext) throws -> JSONValue
        let backward: (@Sendable (JSONValue, TransformContext) throws -> JSONValue)?

        public init(
            forward: @escaping @Sendable (JSONValue, TransformContext) throws -> JSONValue,
            backward: (@Sendable (JSONValue, TransformContext) throws -> JSONValue)? = nil
        ) {
            self.forward = forward
            self.backward = backward
        }
    }

    public let spec: TransformSpec
    public let arguments: TransformArguments
    private let implementation: Implementation

    public init(spec: TransformSpec, arguments: TransformArguments, implementation: Implementation) {
        self.spec = spec
        self.arguments = arguments
        self.implementation = implementation
    }

    public var name: String { spec.name }

    /// Whether this configuration has a reverse (a value map reverses only when it is one-to-one, for example).
    public var isReversible: Bool { implementation.backward != nil }

    /// Transforms a value read from the source.
    public func apply(_ value: JSONValue, context: TransformContext = TransformContext()) throws -> JSONValue {
        if case .null = value, spec.nulls == .passThrough { return .null }
        return try run(implementation.forward, value, context)
    }

    /// `apply` as a function that holds only what it needs (the forward function, the null rule, the name), for
    /// callers that run it for every record: calling `apply` through a stored `Transform` copied its whole spec.
    var forwardFunction: @Sendable (JSONValue, TransformContext) throws -> JSONValue {
        let forward = implementation.forward
        let passesNull = spec.nulls == .passThrough
        let name = spec.name
        return { value, context in
            if passesNull, case .null = value { return .null }
            do {
                return try forward(value, context)
            } catch let error as TransformError {
                throw error.naming(transform: name)
            } catch {
                throw TransformError(.invalidInput, transform: name, String(describing: error))
            }
        }
    }

    /// Undoes `apply` for write-back; throws `notReversible` when this configuration has no reverse.
    public func reverse(_ value: JSONValue, context: TransformContext = TransformContext()) throws -> JSONValue {
        guard let backward = implementation.backward else {
            throw TransformError(.notReversible, transform: name, "this transform has no reverse with these arguments")
        }
        if value == .null, spec.nulls == .passThrough { return .null }
        return try run(backward, value, context)
    }

    private func run(
        _ function: @Sendable (JSONValue, TransformContext) throws -> JSONValue,
        _ value: JSONValue,
        _ context: TransformContext
    ) throws -> JSONValue {
        do {
            return try function(value, context)
        } catch let error as TransformError {
            throw error.naming(transform: name)
        } catch {
            throw TransformError(.invalidInput, transform: name, String(describing: error))
        }
    }
}
