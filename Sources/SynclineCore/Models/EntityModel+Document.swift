/// The JSON form of an entity model, as a tenant defines a custom one over the API:
/// `{"name": "project", "fields": [{"name": "id", "type": "string", "required": true}, ...]}`.
extension EntityModel {
    /// Reads and checks a model document: a snake_case name, at least one field, field names snake_case and
    /// unique, every type known, `values` (non-empty, unique strings) exactly on `enum` fields; no unknown keys.
    /// Every problem names its place (`fields[2].type`). The result is a custom model (`builtIn` false); that its
    /// name does not clash with a built-in model is for the caller to check (``ModelCatalog/checkCustom(_:)``).
    public init(document: JSONValue) throws(MappingError) {
        var reader = DocumentReader()
        guard let members = reader.object(document, at: "", allowed: ["name", "fields"]) else {
            throw MappingError(reader.problems)
        }
        let name = reader.string(members, "name", at: "", required: true) ?? ""
        if members["name"]?.stringValue != nil, !Self.isIdentifier(name) {
            reader.report("name", "'\(name)' must be snake_case: a lower-case letter, then letters, digits or _")
        }
        let items = reader.array(members, "fields", at: "", required: true) ?? []
        if members["fields"]?.arrayValue?.isEmpty == true {
            reader.report("fields", "a model needs at least one field")
        }
        var fields: [ModelField] = []
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let path = DocumentReader.path("fields", index: index)
            guard let field = Self.field(item, at: path, reader: &reader) else { continue }
            if let first = seen[field.name] {
                reader.report(
                    DocumentReader.path(path, "name"),
                    "'\(field.name)' is already the name of fields[\(first)]"
                )
                continue
            }
            seen[field.name] = index
            fields.append(field)
        }
        try reader.finish()
        self.init(name: name, fields: fields, builtIn: false)
    }

    /// The document this model reads back from (`summary` only when not empty, `values` only on `enum` fields).
    public var document: JSONValue {
        .object([
            "name": .string(name),
            "fields": .array(
                fields.map { field in
                    var members: [String: JSONValue] = [
                        "name": .string(field.name),
                        "type": .string(field.type.wireName),
                        "required": .bool(field.required),
                    ]
                    if let values = field.type.enumValues { members["values"] = .array(values.map(JSONValue.string)) }
                    if !field.summary.isEmpty { members["summary"] = .string(field.summary) }
                    return .object(members)
                }
            ),
        ])
    }

    private static func field(_ item: JSONValue, at path: String, reader: inout DocumentReader) -> ModelField? {
        let problemsBefore = reader.problems.count
        guard
            let members = reader.object(item, at: path, allowed: ["name", "type", "required", "values", "summary"])
        else { return nil }
        let name = reader.string(members, "name", at: path, required: true)
        if let name, !isIdentifier(name) {
            reader.report(
                DocumentReader.path(path, "name"),
                "'\(name)' must be snake_case: a lower-case letter, then letters, digits or _"
            )
        }
        let required = reader.bool(members, "required", at: path) ?? false
        let summary = reader.string(members, "summary", at: path, required: false) ?? ""
        let wireName = reader.string(members, "type", at: path, required: true)
        var values: [String] = []
        if let given = members["values"] {
            let valuesPath = DocumentReader.path(path, "values")
            if wireName != nil, wireName != "enum" {
                reader.report(valuesPath, "only enum fields have values")
            } else if case .array(let items) = given, items.allSatisfy({ $0.stringValue != nil }) {
                values = items.compactMap(\.stringValue)
                if values.isEmpty { reader.report(valuesPath, "an enum needs at least one value") }
                var unique: Set<String> = []
                for value in values where !unique.insert(value).inserted {
                    reader.report(valuesPath, "'\(value)' is listed twice")
                }
            } else {
                reader.report(valuesPath, "must be an array of strings")
            }
        } else if wireName == "enum" {
            reader.report(DocumentReader.path(path, "values"), "an enum field needs its list of values")
        }
        var type: ModelFieldType?
        if let wireName {
            type = ModelFieldType(wireName: wireName, values: values)
            if type == nil {
                reader.report(
                    DocumentReader.path(path, "type"),
                    "'\(wireName)' is not a field type; expected one of: "
                        + ModelFieldType.wireNames.joined(separator: ", ")
                )
            }
        }
        guard reader.problems.count == problemsBefore, let name, let type else { return nil }
        return ModelField(name: name, type: type, required: required, summary: summary)
    }

    /// Whether `text` is snake_case: `[a-z][a-z0-9_]*`.
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        return text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }
}
