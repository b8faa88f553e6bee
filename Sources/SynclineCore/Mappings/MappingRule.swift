/// One rule of a mapping: read the value at `source` in the provider's record, run it through `transforms`, and
/// write it to the model field `target`.
public struct MappingRule: Sendable, Hashable {
    /// A JSON path into the source record (`owner.email`, `custom_fields[0].value`, `tags[*].name`).
    public var source: String
    /// The name of a field of the mapping's model.
    public var target: String
    /// The pipeline, applied first to last.
    public var transforms: [TransformStep]
    /// Whether a record without a usable value here fails (true) or only gets a warning (false). A rule that
    /// targets a field the model requires is required whatever this says.
    public var required: Bool

    public init(source: String, target: String, transforms: [TransformStep] = [], required: Bool = false) {
        self.source = source
        self.target = target
        self.transforms = transforms
        self.required = required
    }
}
