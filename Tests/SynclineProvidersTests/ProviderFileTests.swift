import Foundation
import SynclineCore
import SynclineProviders
import Testing

@Suite("Provider files")
struct ProviderFileTests {
    static let minimal = """
        slug: demo
        name: Demo
        auth:
          type: api_key
          in: header
          name: X-Api-Key
        credentials:
          - name: api_key
            type: secret
            required: true
        config:
          - name: url
            type: url
            required: true
        base_url: "{{config.url}}/v1"
        entity_types:
          things:
            list: { path: /things }
            records: data
            pagination:
              style: cursor
              cursor: meta.next
              parameter: after
        """

    @Test("a minimal file parses with defaults filled in")
    func minimal() throws {
        let definition = try ProviderDefinition.parse(yaml: Self.minimal, file: "demo.yaml")
        #expect(definition.slug == "demo")
        #expect(definition.auth == .apiKey(placement: .header, name: "X-Api-Key", prefix: "", credential: "api_key"))
        let things = try #require(definition.entityType(named: "things"))
        #expect(things.idField == "id")
        #expect(things.defaultFrequencyMinutes == 60)
        #expect(things.records == ["data"])
        #expect(things.list.method == "GET")
        #expect(things.pagination == .bodyCursor(.init(cursorPath: ["meta", "next"], parameter: "after")))
    }

    /// Each broken file, and where its error must point.
    struct Mistake: Sendable, CustomTestStringConvertible {
        let name: String
        let yaml: String
        let line: Int
        let column: Int
        let message: String
        var testDescription: String { name }
    }

    static func replacing(_ old: String, with new: String) -> String {
        minimal.replacingOccurrences(of: old, with: new)
    }

    static let mistakes: [Mistake] = [
        Mistake(
            name: "a misspelt key, with a suggestion",
            yaml: replacing("    records: data", with: "    record: data"),
            line: 19,
            column: 5,
            message: "unknown key 'record' in entity type 'things' (did you mean 'records'?)"
        ),
        Mistake(
            name: "a missing required key",
            yaml: replacing("name: Demo\n", with: ""),
            line: 1,
            column: 1,
            message: "the provider is missing the required key 'name'"
        ),
        Mistake(
            name: "a template naming an undeclared config field",
            yaml: replacing("{{config.url}}/v1", with: "{{config.uri}}/v1"),
            line: 15,
            column: 11,
            message: "{{config.uri}} names no declared config field"
        ),
        Mistake(
            name: "a page size that is not a number",
            yaml: replacing(
                "      style: cursor\n      cursor: meta.next\n      parameter: after",
                with: "      style: page_number\n      page_size: lots"
            ),
            line: 22,
            column: 18,
            message: "'page_size' in pagination of entity type 'things' must be a whole number"
        ),
        Mistake(
            name: "an unknown pagination style",
            yaml: replacing("style: cursor", with: "style: scroll"),
            line: 21,
            column: 14,
            message: "pagination style must be one of"
        ),
        Mistake(
            name: "a YAML syntax error",
            yaml: replacing("    list: { path: /things }", with: "    list: { path: /things"),
            line: 19,
            column: 12,
            message: "YAML syntax"
        ),
        Mistake(
            name: "an unknown auth type",
            yaml: replacing("type: api_key", with: "type: oauth3"),
            line: 4,
            column: 9,
            message: "auth type must be one of: oauth2, oauth2_client_credentials, api_key, basic; got 'oauth3'"
        ),
        Mistake(
            name: "a parent that does not exist",
            yaml: replacing("    records: data", with: "    records: data\n    parent: boxes"),
            line: 20,
            column: 13,
            message: "the parent 'boxes' of entity type 'things' is not another entity type of this provider"
        ),
        Mistake(
            name: "a field declared twice",
            yaml: replacing("  - name: url\n    type: url\n    required: true", with: "  - name: url\n  - name: url"),
            line: 13,
            column: 5,
            message: "the field 'url' is declared twice in config"
        ),
        Mistake(
            name: "an option of another pagination style",
            yaml: replacing("      parameter: after", with: "      parameter: after\n      page_parameter: page"),
            line: 24,
            column: 7,
            message: "'page_parameter' does not apply to the cursor pagination style"
        ),
    ]

    @Test("a malformed file is an error with file, line and column", arguments: mistakes)
    func malformed(_ mistake: Mistake) {
        let error = #expect(throws: ProviderFileError.self) {
            try ProviderDefinition.parse(yaml: mistake.yaml, file: "providers/demo.yaml")
        }
        #expect(error?.file == "providers/demo.yaml")
        #expect(error?.message.hasPrefix(mistake.message) == true, "\(error?.message ?? "no error")")
        #expect(error?.line == mistake.line, "\(error?.description ?? "")")
        #expect(error?.column == mistake.column, "\(error?.description ?? "")")
        #expect(error?.description.hasPrefix("providers/demo.yaml:\(mistake.line):\(mistake.column): ") == true)
    }

    @Test("templates parse references and refuse unknown scopes")
    func templates() throws {
        let template = try Template(parsing: "{{config.url}}/api?tenant={{ config.tenant }}")
        #expect(template.references.map { "\($0.scope).\($0.name)" } == ["config.url", "config.tenant"])
        let rendered = try template.render { scope, name in
            scope == "config" ? ["url": "https://h", "tenant": "t"][name] : nil
        }
        #expect(rendered == "https://h/api?tenant=t")
        #expect(throws: TemplateError.self) { try template.render { _, _ in nil } }
        #expect(throws: TemplateError.self) { try Template(parsing: "{{secrets.x}}") }
        #expect(throws: TemplateError.self) { try Template(parsing: "{{config.url") }
    }
}
