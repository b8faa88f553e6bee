/// A mapping checked against its model and the transform registry, with its paths parsed and its pipelines built
/// once, so applying it to a record only reads, transforms and checks values.
public struct CompiledMapping: Sendable {
    /// The mapping as given.
    public let mapping: Mapping
    /// The model it targets.
    public let model: EntityModel
    private let rules: [CompiledRule]
    /// The top-level keys the rules read.
    private let sourceKeys: SourceKeys
    /// Every target field set to null: each record's value starts as a copy of it and is written through the
    /// indices in the rules, so mapping a record hashes no field name.
    private let template: [String: JSONValue]

    /// One rule, ready to run. A class, so the loop over rules copies one reference per rule, not every field.
    final class CompiledRule: Sendable {
        let index: Int
        let target: String
        let sourceText: String
        let source: SourceReader
        /// Where the target field is in the value template.
        let output: Dictionary<String, JSONValue>.Index
        /// The transforms in order, run by `apply` in a loop: closures or wrappers around each call cost more than
        /// most transforms' own work.
        let steps: [Step]
        /// The configured transforms, for naming an error.
        let transforms: [Transform]
        let check: FieldCheck
        /// Whether validation proved every non-null output fits the field (a standard transform that only writes
        /// that kind, such as `parse_date` for a datetime): re-parsing each timestamp to check it cost more than
        /// writing it.
        let outputFits: Bool
        let required: Bool
        /// `rules[3] (target: email)`: the path of problems found while applying.
        let label: String

        init(
            index: Int,
            target: String,
            sourceText: String,
            source: SourceReader,
            output: Dictionary<String, JSONValue>.Index,
            transforms: [Transform],
            check: FieldCheck,
            outputFits: Bool,
            required: Bool,
            label: String
        ) {
            self.index = index
            self.target = target
            self.sourceText = sourceText
            self.source = source
            self.output = output
            self.steps = transforms.map { Step(forward: $0.forward, passesNull: $0.spec.nulls == .passThrough) }
            self.transforms = transforms
            self.check = check
            self.outputFits = outputFits
            self.required = required
            self.label = label
        }

        var hasNoTransforms: Bool { steps.isEmpty }

        /// What `Transform.apply` does, without its wrapper: null skips a transform that passes it through. A class,
        /// so `run` can call it through a reference it does not retain (see there).
        final class Step: Sendable {
            let forward: TransformFunction
            let passesNull: Bool

            init(forward: @escaping TransformFunction, passesNull: Bool) {
                self.forward = forward
                self.passesNull = passesNull
            }

            /// Replaces `value` with the transform's result, moving it in rather than copying it. The move is a
            /// swap in this method: `consume` of the loop's variable inside the closure that reaches the step
            /// leaked every value a step made (Swift 6.3.1, -O; checked with a counting class).
            @inline(__always)
            func apply(to value: inout JSONValue, _ context: TransformContext) throws {
                if case .null = value, passesNull { return }
                var taken = JSONValue.null
                swap(&taken, &value)
                value = try forward(consume taken, context)
            }
        }

        /// Runs the steps first to last; an error names the transform and the step it came from. Each step is
        /// reached through an unretained reference: `steps` holds it strongly for as long as this rule lives, and
        /// copying a stored closure out of an array retained and released its context at every step of every
        /// record, a cost comparable to a small transform's own work.
        /// The value moves from step to step (`consume`), so a step that passes it on unchanged costs no reference
        /// counting either.
        @inline(__always)
        func run(_ value: consuming JSONValue, _ context: TransformContext) throws(TransformError) -> JSONValue {
            var current = value
            var position = 0
            do {
                while position < steps.count {
                    try Unmanaged.passUnretained(steps[position])._withUnsafeGuaranteedRef { step in
                        try step.apply(to: &current, context)
                    }
                    position += 1
                }
            } catch {
                throw transforms[position].named(error).at(step: position)
            }
            return current
        }
    }

    /// Validates `mapping`, reporting every problem with its path: the model exists; each source path parses;
    /// each target is a field of the model and targeted once; each transform exists and its arguments are valid;
    /// every field the model requires has a rule; and where the pipeline's output type is known, it fits the
    /// target field's type. A rule targeting a field the model requires is required.
    public init(
        _ mapping: Mapping,
        models: ModelCatalog = .unified,
        registry: TransformRegistry = .standard
    ) throws(MappingError) {
        var problems: [MappingProblem] = []
        let model = models.model(named: mapping.model)
        if model == nil {
            let known = models.models.map(\.name)
            let hint = NameSuggestion.closest(to: mapping.model, in: known).map { " (did you mean '\($0)'?)" } ?? ""
            problems.append(
                MappingProblem(
                    path: "model",
                    message: "no model named '\(mapping.model)'\(hint); known: " + known.joined(separator: ", ")
                )
            )
        }
        var targeted: [String: Int] = [:]
        var pending:
            [(
                index: Int, rule: MappingRule, path: JSONPath, field: ModelField, transforms: [Transform],
                shape: OutputShape
            )] = []
        for (index, rule) in mapping.rules.enumerated() {
            let base = "rules[\(index)]"
            func report(_ path: String, _ message: String) {
                problems.append(MappingProblem(path: path, message: message, rule: index))
            }
            var path: JSONPath?
            do {
                path = try JSONPath(rule.source)
            } catch let error as JSONPath.PathError {
                report(base + ".source", error.message)
            } catch {
                report(base + ".source", String(describing: error))
            }
            var field: ModelField?
            if let model {
                field = model.field(named: rule.target)
                if field == nil {
                    let names = model.fields.map(\.name)
                    let hint = NameSuggestion.closest(to: rule.target, in: names).map { "; did you mean '\($0)'?" }
                    report(
                        base + ".target",
                        "'\(rule.target)' is not a field of \(model.name)"
                            + (hint ?? "; fields: " + names.joined(separator: ", "))
                    )
                } else if let first = targeted[rule.target] {
                    report(base + ".target", "'\(rule.target)' is already mapped by rules[\(first)]")
                    field = nil
                } else {
                    targeted[rule.target] = index
                }
            }
            var transforms: [Transform] = []
            for (position, step) in rule.transforms.enumerated() {
                let stepPath = base + ".transforms[\(position)]"
                guard registry.spec(named: step.name) != nil else {
                    let names = registry.specs.map(\.name)
                    let hint = NameSuggestion.closest(to: step.name, in: names).map { " (did you mean '\($0)'?)" }
                    report(stepPath + ".name", "no transform named '\(step.name)'" + (hint ?? ""))
                    continue
                }
                do {
                    transforms.append(try registry.make(step))
                } catch let error as TransformError {
                    if let argument = error.argument {
                        report(stepPath + ".arguments." + argument, error.message)
                    } else {
                        report(stepPath, error.message)
                    }
                } catch {
                    report(stepPath, String(describing: error))
                }
            }
            guard let path, let field, transforms.count == rule.transforms.count else { continue }
            var shape = OutputShape(source: path)
            for transform in transforms {
                let standard = TransformRegistry.standard.spec(named: transform.name)
                shape = standard == transform.spec ? shape.after(transform) : .unknown
            }
            if let mismatch = shape.mismatch(with: field.type, check: FieldCheck(field.type)) {
                let place = transforms.isEmpty ? base + ".source" : base + ".transforms[\(transforms.count - 1)]"
                report(place, "\(mismatch) (target '\(field.name)')")
                continue
            }
            pending.append((index, rule, path, field, transforms, shape))
        }
        if let model {
            for field in model.requiredFields where targeted[field.name] == nil {
                problems.append(
                    MappingProblem(
                        path: "rules",
                        message: "\(model.name) requires '\(field.name)', which no rule targets"
                    )
                )
            }
        }
        guard problems.isEmpty, let model else { throw MappingError(problems) }
        var firstKeys: [String] = []
        for entry in pending {
            if case .key(let key)? = entry.path.components.first, !firstKeys.contains(key) { firstKeys.append(key) }
        }
        let sourceKeys = SourceKeys(firstKeys)
        let template = Dictionary(uniqueKeysWithValues: pending.map { ($0.field.name, JSONValue.null) })
        self.mapping = mapping
        self.model = model
        self.sourceKeys = sourceKeys
        self.template = template
        self.rules = pending.compactMap { entry in
            guard let output = template.index(forKey: entry.field.name) else { return nil }
            return CompiledRule(
                index: entry.index,
                target: entry.field.name,
                sourceText: entry.rule.source,
                source: SourceReader(entry.path, keys: sourceKeys),
                output: output,
                transforms: entry.transforms,
                check: FieldCheck(entry.field.type),
                outputFits: entry.shape.alwaysFits(entry.field.type),
                required: entry.rule.required || entry.field.required,
                label: "rules[\(entry.index)] (target: \(entry.field.name))"
            )
        }
    }

    /// Maps one source record. Each rule reads its source path (missing reads as null), runs its pipeline and
    /// checks the result against the target field's type. A transform error, a type mismatch, or null on a required
    /// rule is a failure; on an optional rule it is a warning and the field is left out. Null on an optional rule
    /// is kept as null. Transforms see `record` as `context.record`.
    public func apply(_ record: JSONValue, context: TransformContext = TransformContext()) -> MappedRecord {
        var prepared = context
        prepared.record = record
        let context = prepared
        // The closure below captures these, not `self`: capturing the mapping copied it, a retain per field.
        let rules = rules
        let template = template
        return sourceKeys.withSlots(record) { slots in
            var value = template
            var failures: [MappingProblem] = []
            var warnings: [MappingProblem] = []
            var leftOut: [String] = []
            for position in rules.indices {
                // Unretained, like the steps in `run`: `rules` holds every rule for as long as this mapping lives.
                Unmanaged.passUnretained(rules[position])._withUnsafeGuaranteedRef { rule in
                    var current: JSONValue = .null
                    var problem: String?
                    do throws(TransformError) {
                        current = try rule.run(rule.source.read(record, slots: slots) ?? .null, context)
                    } catch {
                        problem = error.description
                    }
                    if problem == nil {
                        if case .null = current {
                            // The template already holds null for the field.
                            guard rule.required else { return }
                            // Read again rather than kept: keeping the read value cost a copy per rule.
                            problem = CompiledMapping.nullReason(rule, rule.source.read(record, slots: slots))
                        } else if !rule.outputFits, let mismatch = rule.check.problem(with: current) {
                            problem = mismatch
                        } else {
                            value.values[rule.output] = current
                            return
                        }
                    }
                    leftOut.append(rule.target)
                    let reported = MappingProblem(path: rule.label, message: problem ?? "", rule: rule.index)
                    if rule.required { failures.append(reported) } else { warnings.append(reported) }
                }
            }
            // Removing moves other fields in the table, so it waits until every field is written.
            for target in leftOut { value.removeValue(forKey: target) }
            return MappedRecord(value: value, failures: failures, warnings: warnings)
        }
    }

    /// Why a required rule came out null: nothing at the source, a null there, or the transforms.
    private static func nullReason(_ rule: CompiledRule, _ read: JSONValue?) -> String {
        let source: String =
            switch read {
            case nil: "the record has nothing at '\(rule.sourceText)'"
            case .null?: "'\(rule.sourceText)' is null"
            case let value?: "'\(rule.sourceText)' was \(FieldCheck.preview(value))"
            }
        return rule.hasNoTransforms
            ? "required, but \(source)" : "required, but the transforms gave null (\(source))"
    }
}

/// Reads a rule's source from a record: through the slot of its first key (read for all rules in one pass) and
/// the rest of its path, or, for a path that starts at the root or with an index, by walking the whole path.
enum SourceReader: Sendable {
    case root
    case slot(Int)
    /// A key of the object in a slot (`site.id`, `owner.email`): the most common nested path, read without copying
    /// the object or walking a path.
    case slotKey(Int, String)
    case slotThen(Int, JSONPath)
    case path(JSONPath)

    init(_ path: JSONPath, keys: SourceKeys) {
        guard case .key(let key)? = path.components.first, let slot = keys.slot(of: key) else {
            self = path.components.isEmpty ? .root : .path(path)
            return
        }
        let rest = Array(path.components.dropFirst())
        switch rest.first {
        case nil: self = .slot(slot)
        case .key(let key)? where rest.count == 1: self = .slotKey(slot, key)
        default: self = .slotThen(slot, JSONPath(components: rest))
        }
    }

    /// The value there, nil when missing.
    func read(_ record: JSONValue, slots: SourceSlots) -> JSONValue? {
        switch self {
        case .root: return record
        case .slot(let slot): return slots[slot]
        case .slotKey(let slot, let key):
            guard let index = slots.indices[slot], case .object(let members) = slots.members.values[index] else {
                return nil
            }
            return JSONPath.member(key, of: members)
        case .slotThen(let slot, let rest): return slots[slot].flatMap { rest.evaluate(in: $0) }
        case .path(let path): return path.evaluate(in: record)
        }
    }
}

/// The known name nearest to a misspelt one, when close enough to be a typo.
enum NameSuggestion {
    static func closest(to name: String, in names: [String]) -> String? {
        let scored = names.map { ($0, distance(name, $0)) }.min { $0.1 < $1.1 }
        guard let (best, score) = scored, score > 0, score <= max(2, name.count / 3) else { return nil }
        return best
    }

    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
