/// The documentation and contract of one transform: what it does, what it accepts, its arguments, a worked
/// example and whether it reverses. The registry validates arguments against it and renders it to Markdown.
public struct TransformSpec: Sendable, Hashable {
    /// How a transform treats a null value.
    public enum NullHandling: Sendable, Hashable {
        /// Null comes out unchanged, in both directions, without the transform running.
        case passThrough
        /// The transform handles null itself, as described.
        case handled(String)
    }

    /// Whether and how a transform can be undone for write-back.
    public enum Reversibility: Sendable, Hashable {
        /// There is no reverse.
        case never
        /// There is always a reverse, as described.
        case always(String)
        /// There is a reverse only for some arguments, or it is exact only for some values, as described.
        case conditional(String)
    }

    /// A worked example, run by the tests, so the documentation cannot drift from the behaviour.
    public struct Example: Sendable, Hashable {
        public let input: JSONValue
        public let arguments: [String: JSONValue]
        public let context: TransformContext
        public let output: JSONValue

        public init(
            input: JSONValue,
            arguments: [String: JSONValue] = [:],
            context: TransformContext = TransformContext(),
            output: JSONValue
        ) {
            self.input = input
            self.arguments = arguments
            self.context = context
            self.output = output
        }
    }

    /// The name used in mappings, snake_case.
    public let name: String
    /// One or two sentences saying what the transform does.
    public let summary: String
    /// The input types accepted, in words ("string", "number or numeric string").
    public let input: String
    public let nulls: NullHandling
    public let arguments: [ArgumentSpec]
    public let example: Example
    public let reversibility: Reversibility

    public init(
        name: String,
        summary: String,
        input: String,
        nulls: NullHandling = .passThrough,
        arguments: [ArgumentSpec] = [],
        example: Example,
        reversibility: Reversibility = .never
    ) {
        self.name = name
        self.summary = summary
        self.input = input
        self.nulls = nulls
        self.arguments = arguments
        self.example = example
        self.reversibility = reversibility
    }

    /// Whether the transform can reverse at least for some arguments.
    public var reversible: Bool {
        if case .never = reversibility { return false }
        return true
    }

    /// The declaration of the named argument.
    public func argument(named name: String) -> ArgumentSpec? {
        arguments.first { $0.name == name }
    }
}
