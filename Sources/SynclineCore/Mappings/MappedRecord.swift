/// The result of mapping one source record: the model's fields, and what went wrong on the way. A record with
/// failures (a required rule without a usable value) must not be stored; warnings only leave fields out.
public struct MappedRecord: Sendable, Hashable {
    /// The mapped fields by name. An optional field whose value came out null is present as null; one whose rule
    /// had a problem is left out.
    public var value: [String: JSONValue]
    /// Problems on required rules; each names the rule (`rules[3] (target: email)`) and the reason.
    public var failures: [MappingProblem]
    /// Problems on optional rules, whose fields were left out.
    public var warnings: [MappingProblem]

    public init(value: [String: JSONValue], failures: [MappingProblem] = [], warnings: [MappingProblem] = []) {
        self.value = value
        self.failures = failures
        self.warnings = warnings
    }

    /// Whether the record failed to map.
    public var failed: Bool { !failures.isEmpty }
}
