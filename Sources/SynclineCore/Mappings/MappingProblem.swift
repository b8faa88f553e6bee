/// One thing wrong with a mapping or a mapped record, located by a path into the mapping document
/// (`rules[2].transforms[0].arguments.factor`, or `rules[3] (target: email)` for a record), so an editor can point
/// at the place to fix.
public struct MappingProblem: Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is: a path into the mapping (or model) document.
    public var path: String
    /// What is wrong, in words for the person editing the mapping.
    public var message: String
    /// The 0-based index of the rule the problem concerns, when it concerns one.
    public var rule: Int?

    public init(path: String, message: String, rule: Int? = nil) {
        self.path = path
        self.message = message
        self.rule = rule
    }

    /// `rules[2].target: 'emial' is not a field of contact`.
    public var description: String {
        path.isEmpty ? message : path + ": " + message
    }
}
