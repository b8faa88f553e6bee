/// A mapping checked against its model and the transform registry, with its paths parsed and its pipelines built
/// once, so applying it to a record only reads, transforms and checks values.
public struct CompiledMapping: Sendable {
    /// The mapping as given.
    public let mapping: Mapping
    /// The model it targets.
    public let model: EntityModel
    private let rules: [CompiledRule]

    /// One rule, ready to run. A class, so the loop over rules copies one reference per rule, not every field.
    final class CompiledRule: Sendable {
        let index: Int
        let target: String
        let sourceText: String
        let source: SourceReader
        /// The pipeline's steps, each a closure over its configured transform: calling it borrows the transform
        /// where reading it out of an array would copy its spec and arguments.
        let steps: [@Sendable (JSONValue, TransformContext) throws -> JSONValue]
        let check: FieldCheck
        let required: Bool
        /// `rules[3] (target: email)`: the path of problems found while applying.
        let label: String

        init(
            index: Int,
            target: String,
            sourceText: String,
            source: SourceReader,
            transforms: [Transform],
            check: FieldCheck,
            required: Bool,
            label: String
        ) {
            self.index = index
            self.target = target
            self.sourceText = sourceText
            self.source = source
            self.steps = transforms.map { transform in
                { value, context in try transform.apply(value, context: context) }
            }
            self.check = check
            self.required = required
            self.label = label
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
        var compiled: [CompiledRule] = []
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
            let check = FieldCheck(field.type)
            var shape = OutputShape(source: path)
            for transform in transforms {
                let standard = TransformRegistry.standard.spec(named: transform.name)
                shape = standard == transform.spec ? shape.after(transform) : .unknown
            }
            if let mismatch = shape.mismatch(with: field.type, check: check) {
                let place = transforms.isEmpty ? base + ".source" : base + ".transforms[\(transforms.count - 1)]"
                report(place, "\(mismatch) (target '\(field.name)')")
                continue
            }
            compiled.append(
                CompiledRule(
                    index: index,
                    target: field.name,
                    sourceText: rule.source,
                    source: SourceReader(path),
                    transforms: transforms,
                    check: check,
                    required: rule.required || field.required,
                    label: base + " (target: \(field.name))"
                )
            )
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
        self.mapping = mapping
        self.model = model
        self.rules = compiled
    }

    /// Maps one source record. Each rule reads its source path (missing reads as null), runs its pipeline and
    /// checks the result against the target field's type. A transform error, a type mismatch, or null on a required
    /// rule is a failure; on an optional rule it is a warning and the field is left out. Null on an optional rule
    /// is kept as null. Transforms see `record` as `context.record`.
    public func apply(_ record: JSONValue, context: TransformContext = TransformContext()) -> MappedRecord {
        var context = context
        context.record = record
        var value: [String: JSONValue] = [:]
        value.reserveCapacity(rules.count)
        var failures: [MappingProblem] = []
        var warnings: [MappingProblem] = []
        for rule in rules {
            let read = rule.source.read(record)
            var current = read ?? .null
            var position = 0
            var problem: String?
            do {
                for step in rule.steps {
                    current = try step(current, context)
                    position += 1
                }
            } catch let error as TransformError {
                problem = error.at(step: position).description
            } catch {
                problem = "step \(position + 1): \(error)"
            }
            if problem == nil {
                if case .null = current {
                    guard rule.required else {
                        value[rule.target] = .null
                        continue
                    }
                    problem = Self.nullReason(rule, read)
                } else if let mismatch = rule.check.problem(with: current) {
                    problem = mismatch
                } else {
                    value[rule.target] = current
                    continue
                }
            }
            let reported = MappingProblem(path: rule.label, message: problem ?? "", rule: rule.index)
            if rule.required { failures.append(reported) } else { warnings.append(reported) }
        }
        return MappedRecord(value: value, failures: failures, warnings: warnings)
    }

    /// Why a required rule came out null: nothing at the source, a null there, or the transforms.
    private static func nullReason(_ rule: CompiledRule, _ read: JSONValue?) -> String {
        let source: String =
            switch read {
            case nil: "the record has nothing at '\(rule.sourceText)'"
            case .null?: "'\(rule.sourceText)' is null"
            case let value?: "'\(rule.sourceText)' was \(FieldCheck.preview(value))"
            }
        return rule.steps.isEmpty
            ? "required, but \(source)" : "required, but the transforms gave null (\(source))"
    }
}

/// Reads a rule's source from a record, with the common one-key path read without walking a component list.
enum SourceReader: Sendable {
    case root
    case key(String)
    case path(JSONPath)

    init(_ path: JSONPath) {
        switch path.components.count {
        case 0: self = .root
        case 1:
            if case .key(let key) = path.components[0] {
                self = .key(key)
            } else {
                self = .path(path)
            }
        default: self = .path(path)
        }
    }

    /// The value there, nil when missing.
    func read(_ record: JSONValue) -> JSONValue? {
        switch self {
        case .root: return record
        case .key(let key):
            guard case .object(let members) = record else { return nil }
            return members[key]
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
