/// A transform's forward or backward function. It takes the value as its own (`consuming`): a transform that
/// returns its input unchanged, or leaves it behind for a new value, then costs no reference counting, which in a
/// pipeline of small steps was a large part of each step's cost.
public typealias TransformFunction = @Sendable (consuming JSONValue, TransformContext) throws -> JSONValue

/// One configured transform step, ready to apply to values: its spec, its validated arguments and the pure
/// functions that run it forward and (when it reverses) backward.
public struct Transform: Sendable {
    /// The functions that do the work; errors they throw are completed with the transform's name.
    public struct Implementation: Sendable {
        let forward: TransformFunction
        let backward: TransformFunction?

        public init(forward: @escaping TransformFunction, backward: TransformFunction? = nil) {
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

    /// The forward function alone, for a compiled mapping, which applies the null rule and names errors itself:
    /// calling `apply` through a stored transform copied its spec, and every wrapper was a cost per value.
    var forward: TransformFunction { implementation.forward }

    /// The error `apply` throws for `error` thrown by the forward or backward function.
    func named(_ error: any Error) -> TransformError {
        (error as? TransformError)?.naming(transform: name)
            ?? TransformError(.invalidInput, transform: name, String(describing: error))
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
        _ function: TransformFunction,
        _ value: JSONValue,
        _ context: TransformContext
    ) throws -> JSONValue {
        do {
            return try function(value, context)
        } catch {
            throw named(error)
        }
    }
}
