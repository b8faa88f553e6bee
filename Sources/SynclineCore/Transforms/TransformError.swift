/// Why a transform could not be configured or applied, with the step, transform and argument it concerns,
/// so a mapping editor can point at the exact place to fix.
public struct TransformError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; compared, never switched on exhaustively, so new kinds can be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case unknownTransform = "unknown_transform"
            case unknownArgument = "unknown_argument"
            case missingArgument = "missing_argument"
            case invalidArgument = "invalid_argument"
            case wrongInputType = "wrong_input_type"
            case invalidInput = "invalid_input"
            case notReversible = "not_reversible"
            case missingLink = "missing_link"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No transform of that name is registered.
        public static var unknownTransform: Self { .init(.unknownTransform) }
        /// An argument the transform does not declare (often a typo).
        public static var unknownArgument: Self { .init(.unknownArgument) }
        /// A required argument is absent.
        public static var missingArgument: Self { .init(.missingArgument) }
        /// An argument has the wrong type or an unusable value (bad regex, unknown time zone ...).
        public static var invalidArgument: Self { .init(.invalidArgument) }
        /// The value to transform has a type the transform does not accept.
        public static var wrongInputType: Self { .init(.wrongInputType) }
        /// The value has the right type but cannot be used (unparseable date, malformed email ...).
        public static var invalidInput: Self { .init(.invalidInput) }
        /// A reverse was asked of a step that has none.
        public static var notReversible: Self { .init(.notReversible) }
        /// A lookup found no link for the value.
        public static var missingLink: Self { .init(.missingLink) }

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The transform's name, when the error concerns one.
    public internal(set) var transform: String?
    /// The argument's name, when the error concerns one.
    public internal(set) var argument: String?
    /// The 0-based position of the step in its pipeline, when it ran in one.
    public internal(set) var step: Int?
    /// What went wrong, in words for a person configuring the mapping.
    public let message: String

    public init(_ code: Code, transform: String? = nil, argument: String? = nil, step: Int? = nil, _ message: String) {
        self.code = code
        self.transform = transform
        self.argument = argument
        self.step = step
        self.message = message
    }

    /// "step 2, transform 'round', argument 'places': must be between -15 and 15".
    public var description: String {
        var context: [String] = []
        if let step { context.append("step \(step + 1)") }
        if let transform { context.append("transform '\(transform)'") }
        if let argument { context.append("argument '\(argument)'") }
        return context.isEmpty ? message : context.joined(separator: ", ") + ": " + message
    }

    /// This error with the transform name filled in when it was not set yet.
    func naming(transform name: String) -> TransformError {
        var copy = self
        if copy.transform == nil { copy.transform = name }
        return copy
    }

    /// This error with the pipeline step filled in when it was not set yet.
    func at(step index: Int) -> TransformError {
        var copy = self
        if copy.step == nil { copy.step = index }
        return copy
    }
}
