import Foundation
import SynclineProviders
import Testing

@Suite("Bundled providers")
struct BundledProvidersTests {
    @Test("every bundled provider file loads and validates")
    func bundledLoad() throws {
        let providers = try ProviderCatalog.bundled()
        #expect(!providers.isEmpty)
        #expect(providers.allSatisfy { $0.source.hasPrefix("bundled:") })
    }

    @Test("HaloPSA declares its entity types, auth and paging as documented")
    func halopsa() throws {
        let halo = try #require(try ProviderCatalog.load().provider(slug: "halopsa"))
        #expect(
            Set(halo.entityTypes.map(\.name))
                == ["clients", "sites", "users", "assets", "agents", "tickets", "actions", "timesheets"]
        )
        guard case .oauth2ClientCredentials(let tokenURL, let scope, let clientAuth) = halo.auth else {
            Issue.record("HaloPSA must use client credentials")
            return
        }
        #expect(tokenURL.description == "{{config.url}}/auth/token?tenant={{config.tenant}}")
        #expect(scope?.description == "{{config.scope}}")
        #expect(clientAuth == .body)
        #expect(halo.config.first { $0.name == "scope" }?.defaultValue == "all")
        #expect(halo.baseURL.description == "{{config.url}}/api")

        let clients = try #require(halo.entityType(named: "clients"))
        #expect(clients.unifiedModel == "company")
        #expect(
            clients.pagination
                == .pageNumber(
                    .init(
                        pageParameter: "page_no",
                        sizeParameter: "page_size",
                        pageSize: 1000,
                        firstPage: 1,
                        totalPath: ["record_count"],
                        extraQuery: ["pageinate": "true"]
                    )
                )
        )
        let actions = try #require(halo.entityType(named: "actions"))
        #expect(actions.parent == "tickets")
        #expect(actions.list.query["ticket_id"]?.description == "{{parent.id}}")
        #expect(halo.entityType(named: "tickets")?.incremental?.parameter == "startdate")

        // About 300 requests per 5 minutes: the scheduled default load must fit well inside it.
        let perHour = halo.entityTypes.filter { $0.parent == nil }.map { 60.0 / Double($0.defaultFrequencyMinutes) }
        #expect(perHour.reduce(0, +) < 300 * 12 / 10)
    }

    @Test("a providers directory adds files and overrides bundled ones by slug")
    func directory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("providers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try ProviderFileTests.minimal.write(
            to: directory.appendingPathComponent("demo.yaml"),
            atomically: true,
            encoding: .utf8
        )
        let catalog = try ProviderCatalog.load(extraDirectory: directory.path)
        #expect(catalog.provider(slug: "demo")?.source == directory.appendingPathComponent("demo.yaml").path)
        #expect(catalog.provider(slug: "halopsa") != nil)

        try ProviderFileTests.minimal.write(
            to: directory.appendingPathComponent("copy.yml"),
            atomically: true,
            encoding: .utf8
        )
        let duplicate = #expect(throws: ProviderFileError.self) {
            try ProviderCatalog.load(extraDirectory: directory.path)
        }
        #expect(duplicate?.message.contains("already declared") == true)
    }
}
