import Foundation

/// The transform reference page, rendered from the specs so the documentation cannot drift from the code.
/// Each example's output (and reverse) is computed by running the transform, so an example cannot lie.
extension TransformRegistry {
    /// Markdown with one `### name` section per transform, ordered by name: summary, input, null handling,
    /// reversibility, arguments table and a worked example.
    public func markdownReference() -> String {
        sortedDefinitions.map(Self.markdown(for:)).joined(separator: "\n")
    }

    /// A Markdown table of every transform, ordered by name: a link to its section, its one-line summary and
    /// whether it reverses.
    public func markdownIndex() -> String {
        var lines = ["| transform | reverses | summary |", "| --- | --- | --- |"]
        for spec in specs {
            let cells = ["[`\(spec.name)`](#\(spec.name))", spec.reversible ? "yes" : "no", spec.headline]
            lines.append("| " + cells.map(Self.escapeCell).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    private var sortedDefinitions: [TransformDefinition] {
        definitions.values.sorted { $0.spec.name < $1.spec.name }
    }

    private static func markdown(for definition: TransformDefinition) -> String {
        let spec = definition.spec
        var lines = ["### \(spec.name)", "", spec.summary, ""]
        lines.append("- Input: \(spec.input)")
        switch spec.nulls {
        case .passThrough: lines.append("- Null: passes through unchanged.")
        case .handled(let text): lines.append("- Null: \(text)")
        }
        switch spec.reversibility {
        case .never: lines.append("- Reverses: no.")
        case .always(let text), .conditional(let text): lines.append("- Reverses: yes. \(text)")
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
        lines += ["", "Example:", "", "```"]
        lines += exampleLines(definition)
        lines += ["```", ""]
        return lines.joined(separator: "\n")
    }

    /// The example's context, input and arguments, and the output of actually running it (and, when the
    /// configured transform reverses, the reverse of that output).
    private static func exampleLines(_ definition: TransformDefinition) -> [String] {
        let example = definition.spec.example
        var lines: [String] = []
        if example.context.record != .null { lines.append("record:    \(json(example.context.record))") }
        if !example.context.links.isEmpty {
            let links = example.context.links.mapValues { JSONValue.object($0.mapValues(JSONValue.string)) }
            lines.append("links:     \(json(.object(links)))")
        }
        lines.append("input:     \(json(example.input))")
        lines.append("arguments: \(json(.object(example.arguments)))")
        let transform: Transform
        do {
            transform = try definition.make(arguments: example.arguments)
        } catch {
            lines.append("error:     \(error)")
            return lines
        }
        let output: JSONValue
        do {
            output = try transform.apply(example.input, context: example.context)
        } catch {
            lines.append("error:     \(error)")
            return lines
        }
        lines.append("output:    \(json(output))")
        if transform.isReversible {
            let reversed = Result { try transform.reverse(output, context: example.context) }
            switch reversed {
            case .success(let value): lines.append("reverse:   \(json(value))")
            case .failure(let error): lines.append("reverse:   error: \(error)")
            }
        }
        return lines
    }

    private static func json(_ value: JSONValue) -> String {
        (try? value.jsonString()) ?? value.typeDescription
    }

    /// A table cell's text with pipes escaped, so it cannot split the cell.
    private static func escapeCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}

extension TransformSpec {
    /// The first sentence of the summary, for one-line listings: up to the first `.` outside backticks that
    /// ends the text or is followed by a space.
    public var headline: String {
        var insideCode = false
        var index = summary.startIndex
        while index < summary.endIndex {
            let character = summary[index]
            let next = summary.index(after: index)
            if character == "`" {
                insideCode.toggle()
            } else if character == ".", !insideCode, next == summary.endIndex || summary[next] == " " {
                return String(summary[..<next])
            }
            index = next
        }
        return summary
    }
}
