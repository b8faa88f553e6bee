/// A named set of typed fields that mapped records have: one of Syncline's unified models (`company`) or a
/// tenant's own entity type, so the host application reads the same shape whichever provider a record came from.
public struct EntityModel: Sendable, Hashable {
    /// The model's name, snake_case (`time_entry`).
    public var name: String
    public var fields: [ModelField]
    /// Whether Syncline ships the model (true) or a tenant defined it (false).
    public var builtIn: Bool

    public init(name: String, fields: [ModelField], builtIn: Bool = false) {
        self.name = name
        self.fields = fields
        self.builtIn = builtIn
    }

    /// The field of that name.
    public func field(named name: String) -> ModelField? {
        fields.first { $0.name == name }
    }

    /// The fields every mapping to this model must target.
    public var requiredFields: [ModelField] {
        fields.filter(\.required)
    }
}
