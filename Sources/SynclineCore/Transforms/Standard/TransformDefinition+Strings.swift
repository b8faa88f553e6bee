import Foundation

/// Transforms over text: whitespace, case, length, slugs, splitting and joining, regular expressions.
/// Lengths count characters as people see them (grapheme clusters), so an emoji or `é` counts once.
extension TransformDefinition {
    static let trim = TransformDefinition(
        spec: TransformSpec(
            name: "trim",
            summary: "Removes whitespace and line breaks (or the given characters) from both ends of a string.",
            input: "string",
            arguments: [ArgumentSpec("characters", .string, "The characters to remove instead of whitespace.")],
            example: .init(input: "  Acme Ltd \n", output: "Acme Ltd")
        ),
        factory: { arguments in
            let set =
                arguments.optionalString("characters").map { TrimSet(CharacterSet(charactersIn: $0)) }
                ?? .whitespacesAndNewlines
            return stringMap { $0.trimmed(set) }
        }
    )

    static let lower = TransformDefinition(
        spec: TransformSpec(
            name: "lower",
            summary: "Lowercases a string.",
            input: "string",
            example: .init(input: "ACME Ltd", output: "acme ltd")
        ),
        factory: { _ in stringMap { $0.lowercasedIfNeeded() } }
    )

    static let upper = TransformDefinition(
        spec: TransformSpec(
            name: "upper",
            summary: "Uppercases a string.",
            input: "string",
            example: .init(input: "gb", output: "GB")
        ),
        factory: { _ in stringMap { $0.uppercasedIfNeeded() } }
    )

    static let titleCase = TransformDefinition(
        spec: TransformSpec(
            name: "title_case",
            summary: "Capitalises the first letter of every word (words start after whitespace, `-` or `/`).",
            input: "string",
            arguments: [
                ArgumentSpec("lower_rest", .boolean, default: true, "Lowercase the other letters (false keeps `ACME`).")
            ],
            example: .init(input: "mary-jane SMITH", output: "Mary-Jane Smith")
        ),
        factory: { arguments in
            let lowerRest = try arguments.bool("lower_rest")
            return stringMap { TitleCaseText.make($0, lowerRest: lowerRest) }
        }
    )

    static let truncate = TransformDefinition(
        spec: TransformSpec(
            name: "truncate",
            summary: "Shortens a string to at most `length` characters, ending with `ellipsis` when it was cut.",
            input: "string",
            arguments: [
                ArgumentSpec(
                    "length",
                    .integer,
                    required: true,
                    "The maximum length of the result, ellipsis included."
                ),
                ArgumentSpec("ellipsis", .string, default: "", "Text that ends a cut string, such as `…`."),
            ],
            example: .init(input: "Quarterly review", arguments: ["length": 10, "ellipsis": "…"], output: "Quarterly…")
        ),
        factory: { arguments in
            let length = try arguments.integer("length")
            let ellipsis = try arguments.string("ellipsis")
            guard length >= 0 else { throw arguments.invalid("length", "must not be negative") }
            guard ellipsis.count <= length else {
                throw arguments.invalid("ellipsis", "is longer than length \(length)")
            }
            return stringMap { text in
                // A string has at least as many bytes as characters, so a short one needs no counting.
                guard text.utf8.count > length, text.count > length else { return text }
                return String(text.prefix(length - ellipsis.count)) + ellipsis
            }
        }
    )

    static let slug = TransformDefinition(
        spec: TransformSpec(
            name: "slug",
            summary: "Makes a URL-safe identifier: lowercase ASCII letters and digits, accents removed "
                + "(`é` -> `e`, `ß` -> `ss`), every other run of characters replaced by the separator.",
            input: "string",
            arguments: [
                ArgumentSpec("separator", .string, default: "-", "The text between words."),
                ArgumentSpec("max_length", .integer, "Cut the slug to at most this many characters."),
            ],
            example: .init(input: "Crème Brûlée & Co. (UK)", output: "creme-brulee-co-uk")
        ),
        factory: { arguments in
            let separator = try arguments.string("separator")
            let maxLength = arguments.optionalInteger("max_length")
            if let maxLength, maxLength < 1 { throw arguments.invalid("max_length", "must be at least 1") }
            return stringMap { text in
                SlugText.make(text, separator: separator, maxLength: maxLength)
            }
        }
    )

    static let split = TransformDefinition(
        spec: TransformSpec(
            name: "split",
            summary: "Splits a string into an array of strings at every separator.",
            input: "string",
            arguments: [
                ArgumentSpec("separator", .string, default: ",", "The text between items."),
                ArgumentSpec("trim", .boolean, default: true, "Trim whitespace around each item."),
                ArgumentSpec("omit_empty", .boolean, default: true, "Leave out empty items."),
            ],
            example: .init(input: "red, green,,blue", output: ["red", "green", "blue"]),
            reversibility: .conditional(
                "Joins the items with the separator; exact when no item was trimmed or omitted."
            )
        ),
        factory: { arguments in
            let separator = try arguments.string("separator")
            guard !separator.isEmpty else { throw arguments.invalid("separator", "must not be empty") }
            let trim = try arguments.bool("trim")
            let omitEmpty = try arguments.bool("omit_empty")
            return Transform.Implementation(
                forward: { value, _ in
                    splitItems(try value.requireString(), separator: separator, trim: trim, omitEmpty: omitEmpty)
                },
                backward: { value, _ in
                    try joinItems(value, separator: separator, skipNull: false)
                }
            )
        }
    )

    static let join = TransformDefinition(
        spec: TransformSpec(
            name: "join",
            summary: "Joins an array of strings, numbers or booleans into one string.",
            input: "array",
            arguments: [
                ArgumentSpec("separator", .string, default: ", ", "The text between items."),
                ArgumentSpec("skip_null", .boolean, default: true, "Leave out null items (false makes them an error)."),
            ],
            example: .init(input: ["red", "green", 3], arguments: ["separator": "|"], output: "red|green|3"),
            reversibility: .conditional(
                "Splits at the separator into strings (not with an empty separator). Exact when the array is not "
                    + "empty and every item is a string that neither contains the separator nor ends with the "
                    + "start of it."
            )
        ),
        factory: { arguments in
            let separator = try arguments.string("separator")
            let skipNull = try arguments.bool("skip_null")
            return Transform.Implementation(
                forward: { value, _ in try joinItems(value, separator: separator, skipNull: skipNull) },
                backward: { value, _ in
                    guard !separator.isEmpty else {
                        throw TransformError(.notReversible, "an empty separator cannot be split again")
                    }
                    return splitItems(try value.requireString(), separator: separator, trim: false, omitEmpty: false)
                }
            )
        }
    )

    static let regexExtract = TransformDefinition(
        spec: TransformSpec(
            name: "regex_extract",
            summary: "Returns the part of a string matched by a regular expression (ICU syntax), or null when it "
                + "does not match.",
            input: "string",
            arguments: [
                ArgumentSpec("pattern", .string, required: true, "The regular expression."),
                ArgumentSpec(
                    "group",
                    .integer,
                    "The capture group to return; 0 is the whole match. Default: 1 if the pattern has a group, else 0."
                ),
                ArgumentSpec("ignore_case", .boolean, default: false, "Match without regard to case."),
                ArgumentSpec("all", .boolean, default: false, "Return an array of every match instead of the first."),
            ],
            example: .init(input: "Ticket #4521 opened", arguments: ["pattern": "#(\\d+)"], output: "4521")
        ),
        factory: { arguments in
            let expression = try regex(arguments)
            let group = arguments.optionalInteger("group") ?? (expression.numberOfCaptureGroups > 0 ? 1 : 0)
            guard (0...expression.numberOfCaptureGroups).contains(group) else {
                throw arguments.invalid("group", "the pattern has \(expression.numberOfCaptureGroups) group(s)")
            }
            let all = try arguments.bool("all")
            return Transform.Implementation(forward: { value, _ in
                let text = try value.requireString()
                let whole = NSRange(text.startIndex..., in: text)
                let captured: (NSTextCheckingResult) -> JSONValue = { match in
                    Range(match.range(at: group), in: text).map { .string(String(text[$0])) } ?? .null
                }
                if all {
                    return .array(expression.matches(in: text, range: whole).map(captured))
                }
                return expression.firstMatch(in: text, range: whole).map(captured) ?? .null
            })
        }
    )

    static let regexReplace = TransformDefinition(
        spec: TransformSpec(
            name: "regex_replace",
            summary: "Replaces every match of a regular expression (ICU syntax); the replacement may refer to "
                + "groups as `$1`; `\\$` is a literal dollar sign.",
            input: "string",
            arguments: [
                ArgumentSpec("pattern", .string, required: true, "The regular expression."),
                ArgumentSpec("replacement", .string, default: "", "The replacement text."),
                ArgumentSpec("ignore_case", .boolean, default: false, "Match without regard to case."),
            ],
            example: .init(
                input: "2024-03-10",
                arguments: ["pattern": "(\\d+)-(\\d+)-(\\d+)", "replacement": "$3.$2.$1"],
                output: "10.03.2024"
            )
        ),
        factory: { arguments in
            let expression = try regex(arguments)
            let replacement = try arguments.string("replacement")
            return stringMap { text in
                expression.stringByReplacingMatches(
                    in: text,
                    range: NSRange(text.startIndex..., in: text),
                    withTemplate: replacement
                )
            }
        }
    )

    /// A forward-only transform of strings.
    static func stringMap(_ body: @escaping @Sendable (String) -> String) -> Transform.Implementation {
        Transform.Implementation(forward: { value, _ in .string(body(try value.takeString())) })
    }

    private static func regex(_ arguments: TransformArguments) throws -> NSRegularExpression {
        let pattern = try arguments.string("pattern")
        do {
            return try NSRegularExpression(
                pattern: pattern,
                options: try arguments.bool("ignore_case") ? [.caseInsensitive] : []
            )
        } catch {
            throw arguments.invalid("pattern", "'\(pattern)' is not a valid regular expression")
        }
    }

    private static func splitItems(_ text: String, separator: String, trim: Bool, omitEmpty: Bool) -> JSONValue {
        var items = text.components(separatedBy: separator)
        if trim { items = items.map { $0.trimmed() } }
        if omitEmpty { items = items.filter { !$0.isEmpty } }
        return .array(items.map(JSONValue.string))
    }

    private static func joinItems(_ value: JSONValue, separator: String, skipNull: Bool) throws -> JSONValue {
        var texts: [String] = []
        for (index, item) in try value.requireArray().enumerated() {
            if item == .null, skipNull { continue }
            guard let text = item.scalarText else {
                throw TransformError(
                    .wrongInputType,
                    "item \(index) is \(item.typeDescription), not a string, number or boolean"
                )
            }
            texts.append(text)
        }
        return .string(texts.joined(separator: separator))
    }
}
