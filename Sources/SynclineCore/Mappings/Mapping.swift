/// How records of one provider entity type become records of one model: a rule per target field. Stored per
/// (connection, entity type); each provider entity type ships a default one.
public struct Mapping: Sendable, Hashable {
    /// The name of the target model (`company`, or a tenant's own).
    public var model: String
    public var rules: [MappingRule]

    public init(model: String, rules: [MappingRule]) {
        self.model = model
        self.rules = rules
    }
}
