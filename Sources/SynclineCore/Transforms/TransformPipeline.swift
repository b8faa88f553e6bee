/// The transforms of one mapping rule in order: applied first to last on import, and last to first through
/// their reverses on write-back.
public struct TransformPipeline: Sendable {
    public let transforms: [Transform]

    public init(_ transforms: [Transform]) {
        self.transforms = transforms
    }

    /// Builds and validates every step; an error carries the index of the step it concerns.
    public init(steps: [TransformStep], registry: TransformRegistry = .standard) throws {
        self.transforms = try steps.enumerated().map { index, step in
            do {
                return try registry.make(step)
            } catch let error as TransformError {
                throw error.at(step: index)
            }
        }
    }

    /// Whether every step reverses, so the rule can be used for write-back.
    public var isReversible: Bool {
        transforms.allSatisfy(\.isReversible)
    }

    /// Runs every step forward in order.
    public func apply(_ value: JSONValue, context: TransformContext = TransformContext()) throws -> JSONValue {
        var current = value
        for (index, transform) in transforms.enumerated() {
            do {
                current = try transform.apply(current, context: context)
            } catch let error as TransformError {
                throw error.at(step: index)
            }
        }
        return current
    }

    /// Runs every step's reverse from last to first. Fails before running anything when a step has no reverse.
    public func reverse(_ value: JSONValue, context: TransformContext = TransformContext()) throws -> JSONValue {
        if let index = transforms.firstIndex(where: { !$0.isReversible }) {
            throw TransformError(
                .notReversible,
                transform: transforms[index].name,
                step: index,
                "this step has no reverse, so the rule cannot write back"
            )
        }
        var current = value
        for (index, transform) in transforms.enumerated().reversed() {
            do {
                current = try transform.reverse(current, context: context)
            } catch let error as TransformError {
                throw error.at(step: index)
            }
        }
        return current
    }
}
