import Foundation
import Logging
import SynclineCore
import SynclineProviders
import SynclineSandbox
import SynclineTestSupport
import Testing

/// Each pagination style read through the real runtime from a small sandbox endpoint shaped like the provider
/// that uses it: every item arrives exactly once, and a provider that repeats itself is stopped, not followed.
@Suite("Pagination over HTTP")
struct PaginationOverHTTPTests {
    static let itemCount = 2345

    static let definitionYAML = """
        slug: shapes
        name: Shapes
        auth: { type: api_key, in: header, name: Authorization, prefix: "Bearer " }
        credentials:
          - { name: api_key, type: secret, required: true }
        config:
          - { name: url, type: url, required: true }
        base_url: "{{config.url}}"
        entity_types:
          mailchimp_lists:
            list: { path: /mailchimp/3.0/lists }
            records: lists
            pagination:
              { style: offset_limit, offset_parameter: offset, limit_parameter: count, page_size: 1000, total: total_items }
          hubspot_contacts:
            list: { path: /hubspot/crm/v3/objects/contacts }
            records: results
            pagination: { style: cursor, cursor: paging.next.after, parameter: after, size_parameter: limit, page_size: 100 }
          notion_pages:
            list: { method: POST, path: /notion/v1/databases/demo/query }
            records: results
            pagination:
              style: cursor
              cursor: next_cursor
              parameter: start_cursor
              in: body
              has_more: has_more
              size_parameter: page_size
              page_size: 100
          airtable_records:
            list: { path: /airtable/v0/appDemo/Items }
            records: records
            pagination: { style: cursor, cursor: offset, parameter: offset, size_parameter: pageSize, page_size: 100 }
          zoom_users:
            list: { path: /zoom/v2/users }
            records: users
            pagination:
              { style: cursor, cursor: next_page_token, parameter: next_page_token, size_parameter: page_size, page_size: 300 }
          gong_calls:
            list: { path: /gong/v2/calls }
            records: calls
            pagination: { style: cursor, cursor: records.cursor, parameter: cursor }
          salesforce_accounts:
            list: { path: /salesforce/services/data/v59.0/query, query: { q: "SELECT Id, Name FROM Account" } }
            records: records
            id: Id
            pagination: { style: next_url, next_url: nextRecordsUrl, done: done }
          graph_users:
            list: { path: /graph/v1.0/users, query: { "$top": "999" } }
            records: value
            pagination: { style: next_url, next_url: ["@odata.nextLink"] }
          github_items:
            list: { path: /linkheader/items }
            pagination: { style: link_header, size_parameter: per_page, page_size: 100 }
          stuck_hubspot:
            list: { path: /stuck/hubspot/crm/v3/objects/contacts }
            records: results
            pagination: { style: cursor, cursor: paging.next.after, parameter: after, size_parameter: limit, page_size: 100 }
          stuck_graph:
            list: { path: /stuck/graph/v1.0/users, query: { "$top": "999" } }
            records: value
            pagination: { style: next_url, next_url: ["@odata.nextLink"] }
          stuck_links:
            list: { path: /stuck/linkheader/items }
            pagination: { style: link_header, size_parameter: per_page, page_size: 100 }
        """

    /// Entity type, its id field, and the page requests a complete read takes.
    static let shapes: [(entity: String, idField: String, pages: Int)] = [
        ("mailchimp_lists", "id", 3),
        ("hubspot_contacts", "id", 24),
        ("notion_pages", "id", 24),
        ("airtable_records", "id", 24),
        ("zoom_users", "id", 8),
        ("gong_calls", "id", 24),
        ("salesforce_accounts", "Id", 2),
        ("graph_users", "id", 3),
        ("github_items", "id", 24),
    ]

    @Test("every style reads all items exactly once in the expected number of pages", arguments: 0..<shapes.count)
    func readsAll(index: Int) async throws {
        let shape = Self.shapes[index]
        try await Self.withSession { session, sandbox in
            var ids: [String] = []
            var pages = 0
            for try await page in try session.pages(of: shape.entity) {
                pages += 1
                for record in page.records {
                    let id = try #require(record.objectValue?[shape.idField], "a record without \(shape.idField)")
                    switch id {
                    case .number(let number): ids.append(String(Int(number)))
                    case .string(let text): ids.append(text)
                    default: Issue.record("unexpected id \(id)")
                    }
                }
            }
            #expect(ids.count == Self.itemCount, "\(shape.entity)")
            #expect(Set(ids).count == Self.itemCount, "\(shape.entity): an item came twice")
            #expect(pages == shape.pages, "\(shape.entity)")
            #expect(sandbox.emulator.requests.count == shape.pages)
            #expect(sandbox.emulator.requests.all.allSatisfy { $0.status == 200 })
        }
    }

    @Test("every style resumes from a checkpoint taken after page 2", arguments: 0..<shapes.count)
    func resumes(index: Int) async throws {
        let shape = Self.shapes[index]
        try await Self.withSession { session, sandbox in
            var ids: [String] = []
            var saved: ListingCheckpoint?
            for try await page in try session.pages(of: shape.entity) {
                ids += page.records.map { "\($0.objectValue?[shape.idField] ?? .null)" }
                saved = page.checkpoint
                if page.number == 2 { break }
            }
            let checkpoint = try ListingCheckpoint(encoded: try #require(saved).encoded())
            for try await page in try session.pages(of: shape.entity, resumingFrom: checkpoint) {
                ids += page.records.map { "\($0.objectValue?[shape.idField] ?? .null)" }
            }
            #expect(ids.count == Self.itemCount && Set(ids).count == Self.itemCount, "\(shape.entity)")
            #expect(sandbox.emulator.requests.count == shape.pages, "\(shape.entity): a page was fetched twice")
        }
    }

    @Test("Notion's cursor travels in the POST body, not the query")
    func notionBody() async throws {
        try await Self.withSession { session, sandbox in
            for try await _ in try session.pages(of: "notion_pages") {}
            let requests = sandbox.emulator.requests.all
            #expect(requests.allSatisfy { $0.method == "POST" && $0.query == nil })
        }
    }

    @Test(
        "a provider that repeats its cursor or link is stopped with an error naming the page",
        arguments: ["stuck_hubspot", "stuck_graph", "stuck_links"]
    )
    func stuck(entity: String) async throws {
        try await Self.withSession { session, sandbox in
            let error = await #expect(throws: ProviderError.self) {
                for try await _ in try session.pages(of: entity) {}
            }
            #expect(error?.code == .pagination, "\(error?.message ?? "")")
            #expect(error?.message.contains("page") == true, "\(error?.message ?? "")")
            #expect(sandbox.emulator.requests.count <= 3)
        }
    }

    static func withSession(_ body: (ProviderSession, PagingShapesSandbox) async throws -> Void) async throws {
        let definition = try ProviderDefinition.parse(yaml: definitionYAML, file: "shapes.yaml")
        try await withPagingShapesSandbox(count: itemCount) { sandbox in
            let connection = try ProviderConnection(
                definition: definition,
                config: ["url": sandbox.baseURL],
                credentials: ["api_key": "shape-key"]
            )
            var settings = ProviderClientSettings()
            settings.outbound = .unrestricted
            try await ProviderClient.with(settings: settings, clock: VirtualClock(), logger: Logger(label: "test")) {
                client in
                try await body(client.session(for: connection), sandbox)
            }
        }
    }
}
