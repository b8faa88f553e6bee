/// One named, typed field of an entity model: what a mapping rule may target and what its value must look like.
public struct ModelField: Sendable, Hashable {
    public var name: String
    public var type: ModelFieldType
    /// Whether every record of the model has a value here, so a mapping must target it and fail without it.
    public var required: Bool
    /// What the field holds, in a sentence, for the mapping editor and the docs.
    public var summary: String

    public init(name: String, type: ModelFieldType, required: Bool = false, summary: String = "") {
        self.name = name
        self.type = type
        self.required = required
        self.summary = summary
    }
}
