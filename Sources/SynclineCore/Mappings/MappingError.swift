/// Why a mapping or a model document was refused: every problem found, not just the first, so one save shows
/// the editor everything to fix.
public struct MappingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [MappingProblem]

    public init(_ problems: [MappingProblem]) {
        self.problems = problems
    }

    public init(problems: [MappingProblem]) {
        self.problems = problems
    }

    /// The problems, one per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
