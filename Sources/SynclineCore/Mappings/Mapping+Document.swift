/// The JSON form of a mapping, as stored and sent over the API:
/// `{"model": "company", "rules": [{"source": "name", "target": "name", "transforms": [{"name": "trim"}],
/// "required": true}]}`.
extension Mapping {
    /// Reads a mapping document, checking its shape only (``CompiledMapping`` checks its meaning). `transforms`
    /// and `required` (false) may be left out, and a step's `arguments`; unknown keys are refused. Every problem
    /// names its place (`rules[1].transforms[0].name`).
    public init(document: JSONValue) throws(MappingError) {
        var reader = DocumentReader()
        guard let members = reader.object(document, at: "", allowed: ["model", "rules"]) else {
            throw MappingError(reader.problems)
        }
        let model = reader.string(members, "model", at: "", required: true) ?? ""
        let items = reader.array(members, "rules", at: "", required: true) ?? []
        var rules: [MappingRule] = []
        for (index, item) in items.enumerated() {
            let path = DocumentReader.path("rules", index: index)
            guard
                let rule = reader.object(
                    item,
                    at: path,
                    allowed: ["source", "target", "transforms", "required"],
                    rule: index
                )
            else { continue }
            let source = reader.string(rule, "source", at: path, required: true, rule: index)
            let target = reader.string(rule, "target", at: path, required: true, rule: index)
            let required = reader.bool(rule, "required", at: path, rule: index) ?? false
            var steps: [TransformStep] = []
            let stepsPath = DocumentReader.path(path, "transforms")
            for (position, step) in (reader.array(rule, "transforms", at: path, required: false, rule: index) ?? [])
                .enumerated()
            {
                let stepPath = DocumentReader.path(stepsPath, index: position)
                guard let fields = reader.object(step, at: stepPath, allowed: ["name", "arguments"], rule: index)
                else { continue }
                let name = reader.string(fields, "name", at: stepPath, required: true, rule: index)
                let arguments = reader.members(fields, "arguments", at: stepPath, rule: index)
                if let name, let arguments { steps.append(TransformStep(name, arguments: arguments)) }
            }
            if let source, let target {
                rules.append(MappingRule(source: source, target: target, transforms: steps, required: required))
            }
        }
        try reader.finish()
        self.init(model: model, rules: rules)
    }

    /// The document this mapping reads back from; a step's `arguments` appear only when it has some.
    public var document: JSONValue {
        .object([
            "model": .string(model),
            "rules": .array(
                rules.map { rule in
                    .object([
                        "source": .string(rule.source),
                        "target": .string(rule.target),
                        "transforms": .array(
                            rule.transforms.map { step in
                                step.arguments.isEmpty
                                    ? .object(["name": .string(step.name)])
                                    : .object(["name": .string(step.name), "arguments": .object(step.arguments)])
                            }
                        ),
                        "required": .bool(rule.required),
                    ])
                }
            ),
        ])
    }
}
