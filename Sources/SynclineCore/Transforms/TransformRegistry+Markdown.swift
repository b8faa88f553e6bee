import Foundation

/// The transform reference page, rendered from the specs so the documentation cannot drift from the code.
extension TransformRegistry {
    /// Markdown with one `### name` section per transform, ordered by name: summary, input, null handling,
    /// arguments table, example and reversibility.
    public func markdownReference() -> String {
        specs.map(Self.markdown(for:)).joined(separator: "\n")
    }

    private static func markdown(for spec: TransformSpec) -> String {
        var lines = ["### \(spec.name)", "", spec.summary, ""]
        lines.append("- Input: \(spec.input)")
        switch spec.nulls {
        case .passThrough: lines.append("- Null: passes through unchanged.")
        case .handled(let text): lines.append("- Null: \(text)")
        }
        switch spec.reversibility {
        case .never: lines.append("- Reverses: no.")
        case .always(let text): lines.append("- Reverses: yes. \(text)")
        case .conditional(let text): lines.append("- Reverses: when configured so. \(text)")
        }
        lines.append("")
        if spec.arguments.isEmpty {
            lines.append("No arguments.")
        } else {
            lines.append("| argument | type | required | default | description |")
            lines.append("| --- | --- | --- | --- | --- |")
            for argument in spec.arguments {
                var description = argument.summary
                if !argument.choices.isEmpty {
                    description += " One of: " + argument.choices.map { "`\($0)`" }.joined(separator: ", ") + "."
                }
                let defaultText = argument.defaultValue.map { "`\(json($0))`" } ?? ""
                let cells = [
                    "`\(argument.name)`", argument.type.rawValue, argument.isRequired ? "yes" : "no", defaultText,
                    description,
                ]
                lines.append("| " + cells.map(escapeCell).joined(separator: " | ") + " |")
            }
        }
        let example = spec.example
        lines += ["", "Example:", "", "```"]
        if example.context.record != .null { lines.append("record:    \(json(example.context.record))") }
        if !example.context.links.isEmpty {
            let links = example.context.links.mapValues { JSONValue.object($0.mapValues(JSONValue.string)) }
            lines.append("links:     \(json(.object(links)))")
        }
        lines.append("input:     \(json(example.input))")
        lines.append("arguments: \(json(.object(example.arguments)))")
        lines.append("output:    \(json(example.output))")
        lines += ["```", ""]
        return lines.joined(separator: "\n")
    }

    private static func json(_ value: JSONValue) -> String {
        (try? value.jsonString()) ?? value.typeDescription
    }

    /// A table cell's text with pipes escaped, so it cannot split the cell.
    private static func escapeCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}
