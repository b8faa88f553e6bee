import Foundation

/// Transforms that read the whole record, supply defaults, or pick from collections.
extension TransformDefinition {
    static let template = TransformDefinition(
        spec: TransformSpec(
            name: "template",
            summary: "Builds text from the record: each `{{path}}` is replaced by the value at that path of the "
                + "source record (`{{.}}` is the value in hand). Scalars appear as text, arrays and objects as JSON.",
            input: "any (only used through `{{.}}`)",
            nulls: .handled("Runs for null input too, since it reads the record."),
            arguments: [
                ArgumentSpec("template", .string, required: true, "The text with `{{path}}` placeholders."),
                ArgumentSpec(
                    "missing",
                    .string,
                    default: "empty",
                    choices: ["empty", "null", "error"],
                    "When a placeholder's value is null or missing: write nothing for it, make the whole result "
                        + "null, or fail."
                ),
            ],
            example: .init(
                input: nil,
                arguments: ["template": "{{first}} {{last}}"],
                context: TransformContext(record: ["first": "Ada", "last": "Lovelace"]),
                output: "Ada Lovelace"
            )
        ),
        factory: { arguments in
            let template = try TemplateText(try arguments.string("template"), argument: "template", of: arguments)
            let missing = try arguments.string("missing")
            return Transform.Implementation(forward: { value, context in
                if missing != "empty" {
                    let absent = template.missingFields(value, context)
                    if !absent.isEmpty {
                        guard missing == "null" else {
                            throw TransformError(.invalidInput, "no value for " + absent.joined(separator: ", "))
                        }
                        return .null
                    }
                }
                return .string(template.render(value, context))
            })
        }
    )

    static let concat = TransformDefinition(
        spec: TransformSpec(
            name: "concat",
            summary: "Joins the values of several fields of the source record with a separator "
                + "(`.` as a field is the value in hand).",
            input: "any (only used through the field `.`)",
            nulls: .handled(
                "Runs for null input too; null, missing (and with `skip_empty`, empty) fields are left out."
            ),
            arguments: [
                ArgumentSpec("fields", .stringList, required: true, "The paths of the fields, in order."),
                ArgumentSpec("separator", .string, default: " ", "The text between values."),
                ArgumentSpec("skip_empty", .boolean, default: true, "Leave out empty strings."),
            ],
            example: .init(
                input: "Suite 4",
                arguments: ["fields": [".", "address.line1", "address.city"], "separator": ", "],
                context: TransformContext(record: ["address": ["line1": "1 Main St", "city": "Leeds"]]),
                output: "Suite 4, 1 Main St, Leeds"
            )
        ),
        factory: { arguments in
            let fields = try arguments.strings("fields").map {
                try FieldReference($0, argument: "fields", of: arguments)
            }
            guard !fields.isEmpty else { throw arguments.invalid("fields", "give at least one field") }
            let separator = try arguments.string("separator")
            let skipEmpty = try arguments.bool("skip_empty")
            return Transform.Implementation(forward: { value, context in
                let texts = fields.compactMap { field -> String? in
                    guard let resolved = field.resolve(value, context), resolved != .null else { return nil }
                    let text = TemplateText.text(of: resolved)
                    return skipEmpty && text.isEmpty ? nil : text
                }
                return .string(texts.joined(separator: separator))
            })
        }
    )

    static let defaultValue = TransformDefinition(
        spec: TransformSpec(
            name: "default",
            summary: "Replaces null (and, if asked, an empty or blank string) with a fixed value.",
            input: "any",
            nulls: .handled("Null becomes `value`."),
            arguments: [
                ArgumentSpec("value", .any, required: true, "The value to use instead."),
                ArgumentSpec("replace_empty", .boolean, default: false, "Also replace empty or blank strings."),
            ],
            example: .init(input: nil, arguments: ["value": "Unassigned"], output: "Unassigned")
        ),
        factory: { arguments in
            guard let replacement = arguments.value("value") else {
                throw arguments.invalid("value", "required argument is missing")
            }
            let replaceEmpty = try arguments.bool("replace_empty")
            return Transform.Implementation(forward: { value, _ in
                if value == .null { return replacement }
                if replaceEmpty, case .string = value, value.isEmpty(trimming: true) { return replacement }
                return value
            })
        }
    )

    static let coalesce = TransformDefinition(
        spec: TransformSpec(
            name: "coalesce",
            summary: "Keeps the value in hand unless it is null, otherwise takes the first of the given record "
                + "fields that has a value (`mobile` falling back to `phone`).",
            input: "any",
            nulls: .handled("Null input falls back to the fields; null when none has a value."),
            arguments: [
                ArgumentSpec("fields", .stringList, required: true, "The paths of the fallback fields, in order."),
                ArgumentSpec("skip_empty", .boolean, default: true, "Treat empty or blank strings as missing too."),
            ],
            example: .init(
                input: nil,
                arguments: ["fields": ["phone", "company.phone"]],
                context: TransformContext(record: ["phone": "", "company": ["phone": "+44 20 7946 0000"]]),
                output: "+44 20 7946 0000"
            )
        ),
        factory: { arguments in
            let fields = try arguments.strings("fields").map {
                try FieldReference($0, argument: "fields", of: arguments)
            }
            guard !fields.isEmpty else { throw arguments.invalid("fields", "give at least one field") }
            let skipEmpty = try arguments.bool("skip_empty")
            return Transform.Implementation(forward: { value, context in
                let usable: (JSONValue) -> Bool = { candidate in
                    candidate != .null
                        && !(skipEmpty && candidate.stringValue != nil && candidate.isEmpty(trimming: true))
                }
                if usable(value) { return value }
                return fields.lazy.compactMap { $0.resolve(value, context) }.first(where: usable) ?? .null
            })
        }
    )

    static let nullIfEmpty = TransformDefinition(
        spec: TransformSpec(
            name: "null_if_empty",
            summary: "Turns an empty (or, with `trim`, blank) string, an empty array or an empty object into null; "
                + "anything else passes unchanged.",
            input: "any",
            arguments: [ArgumentSpec("trim", .boolean, default: true, "Count whitespace-only strings as empty.")],
            example: .init(input: "   ", output: nil)
        ),
        factory: { arguments in
            let trim = try arguments.bool("trim")
            return Transform.Implementation(forward: { value, _ in value.isEmpty(trimming: trim) ? .null : value })
        }
    )

    static let first = TransformDefinition(
        spec: TransformSpec(
            name: "first",
            summary: "Returns the first element of an array; null for an empty array.",
            input: "array",
            example: .init(input: ["primary@example.com", "other@example.com"], output: "primary@example.com")
        ),
        factory: { _ in
            Transform.Implementation(forward: { value, _ in try value.requireArray().first ?? .null })
        }
    )

    static let last = TransformDefinition(
        spec: TransformSpec(
            name: "last",
            summary: "Returns the last element of an array; null for an empty array.",
            input: "array",
            example: .init(input: [1, 2, 3], output: 3)
        ),
        factory: { _ in
            Transform.Implementation(forward: { value, _ in try value.requireArray().last ?? .null })
        }
    )

    static let pick = TransformDefinition(
        spec: TransformSpec(
            name: "pick",
            summary: "Finds the first object in an array whose `key` equals `equals` and returns it, or its `field`. "
                + "Null when none matches; elements that are not objects are skipped.",
            input: "array of objects",
            arguments: [
                ArgumentSpec("key", .string, required: true, "The path, inside each element, to compare."),
                ArgumentSpec("equals", .any, required: true, "The value that marks the wanted element."),
                ArgumentSpec("field", .string, "The path, inside the matched element, to return instead of all of it."),
            ],
            example: .init(
                input: [["name": "Region", "value": "EU"], ["name": "Tier", "value": "Gold"]],
                arguments: ["key": "name", "equals": "Tier", "field": "value"],
                output: "Gold"
            )
        ),
        factory: { arguments in
            let key = try path(arguments, "key")
            let wanted = arguments.value("equals") ?? .null
            let field = try arguments.optionalString("field").map { _ in try path(arguments, "field") }
            return Transform.Implementation(forward: { value, _ in
                let items = try value.requireArray()
                guard let match = items.first(where: { $0.objectValue != nil && key.evaluate(in: $0) == wanted }) else {
                    return .null
                }
                guard let field else { return match }
                return field.evaluate(in: match) ?? .null
            })
        }
    )

    private static func path(_ arguments: TransformArguments, _ name: String) throws -> JSONPath {
        do {
            return try JSONPath(try arguments.string(name))
        } catch let error as JSONPath.PathError {
            throw arguments.invalid(name, error.description)
        }
    }
}
