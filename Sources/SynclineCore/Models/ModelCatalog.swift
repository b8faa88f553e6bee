/// The entity models mappings may target, by name: the unified models Syncline ships plus a tenant's own.
public struct ModelCatalog: Sendable {
    public var models: [EntityModel]

    public init(models: [EntityModel]) {
        self.models = models
    }

    /// The model of that name.
    public func model(named name: String) -> EntityModel? {
        models.first { $0.name == name }
    }

    /// This catalog with a tenant's models added. A custom model replaces an earlier custom model of the same
    /// name but never a built-in one (check with ``checkCustom(_:)`` first to report that clash).
    public func adding(_ custom: [EntityModel]) -> ModelCatalog {
        var result = self
        for model in custom {
            if let index = result.models.firstIndex(where: { $0.name == model.name }) {
                if !result.models[index].builtIn { result.models[index] = model }
            } else {
                result.models.append(model)
            }
        }
        return result
    }

    /// Refuses a custom model whose name is already a built-in model's, or that is marked built-in itself.
    public func checkCustom(_ model: EntityModel) throws(MappingError) {
        if model.builtIn {
            throw MappingError([MappingProblem(path: "name", message: "a custom model cannot be built in")])
        }
        if let existing = self.model(named: model.name), existing.builtIn {
            throw MappingError([
                MappingProblem(
                    path: "name",
                    message: "'\(model.name)' is a built-in model; give the custom model another name"
                )
            ])
        }
    }
}
