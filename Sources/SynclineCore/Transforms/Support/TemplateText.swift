import Foundation

/// A text template with `{{path}}` placeholders over the record (`{{.}}` is the value in hand), parsed once
/// when the mapping is configured.
struct TemplateText: Sendable {
    enum Part: Sendable {
        case literal(String)
        case field(FieldReference, name: String)
    }

    let parts: [Part]

    /// Parses `text`; an unclosed or empty placeholder or a bad path is an error for the named argument.
    init(_ text: String, argument: String, of arguments: TransformArguments) throws {
        var parts: [Part] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            let column = text.distance(from: text.startIndex, to: open.lowerBound) + 1
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw arguments.invalid(argument, "the placeholder opened at column \(column) is not closed with }}")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else {
                throw arguments.invalid(argument, "the placeholder at column \(column) is empty")
            }
            parts.append(.field(try FieldReference(name, argument: argument, of: arguments), name: name))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.parts = parts
    }

    /// The names of the placeholders whose values are null or missing.
    func missingFields(_ value: JSONValue, _ context: TransformContext) -> [String] {
        parts.compactMap { part in
            guard case .field(let reference, let name) = part else { return nil }
            let resolved = reference.resolve(value, context) ?? .null
            return resolved == .null ? name : nil
        }
    }

    /// The filled-in text: scalars as text, arrays and objects as JSON, null and missing values as nothing.
    func render(_ value: JSONValue, _ context: TransformContext) -> String {
        parts.map { part in
            switch part {
            case .literal(let text): text
            case .field(let reference, _): Self.text(of: reference.resolve(value, context) ?? .null)
            }
        }
        .joined()
    }

    static func text(of value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .array, .object: (try? value.jsonString()) ?? ""
        default: value.scalarText ?? ""
        }
    }
}
