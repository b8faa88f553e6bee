import Foundation
import Logging
import SynclineApp
import SynclineCore
import SynclineEngine
import SynclineProviders
import SynclineSandbox
import SynclineStore
import SynclineTestSupport
import Testing

/// The import flow end to end: the emulated HaloPSA over real loopback HTTP, the bundled provider file, the
/// provider runtime, the import runner and a real SQLite file.
@Suite("HaloPSA import into the records store")
struct HaloPSAImportTests {
    static let logger: Logger = {
        var logger = Logger(label: "syncline.tests")
        logger.logLevel = .warning
        return logger
    }()

    struct Harness {
        let store: SQLStore
        let connection: SynclineCore.Connection
        let session: ProviderSession
        let sandbox: HaloPSASandbox
        let runner: ImportRunner

        func run(_ entity: String, parameters: [String: String] = [:]) async throws -> SyncRun {
            let job = ImportJob(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                entityType: entity,
                trigger: .manual,
                parameters: parameters
            )
            return try await runner.run(job, from: try ProviderRecordSource(session: session, entityType: entity))
        }

        func stored(_ entity: String) async throws -> Int {
            try await store.records.count(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                entityType: entity
            )
        }
    }

    static func withHarness(
        counts: HaloPSARecordCounts,
        scenario: SandboxScenario = .none,
        retry: RetryPolicy? = nil,
        _ body: (Harness) async throws -> Void
    ) async throws {
        let definition = try #require(try ProviderCatalog.load().provider(slug: "halopsa"))
        try await withTemporaryDirectory { directory in
            let location = DatabaseLocation.sqliteFile(path: directory.appendingPathComponent("syncline.sqlite").path)
            let cipher = CredentialCipher(ring: KeyRing(active: MasterKey.generate()))
            try await SQLStore.with(location, cipher: cipher, logger: Self.logger) { store in
                try await store.migrator.migrate()
                let tenant = try await store.tenants.create(name: "Acme")
                let connection = SynclineCore.Connection(
                    id: Identifier.make(prefix: "con"),
                    tenantID: tenant.id,
                    provider: "halopsa",
                    name: "Main",
                    status: .active,
                    createdAt: Date(),
                    updatedAt: Date()
                )
                try await store.connections.create(connection)
                let emulator = HaloPSAEmulator.Configuration(recordCounts: counts, scenario: scenario)
                try await withHaloPSASandbox(emulator) { sandbox in
                    let providerConnection = try ProviderConnection(
                        definition: definition,
                        config: ["url": sandbox.baseURL],
                        credentials: ["client_id": "demo", "client_secret": "demo"]
                    )
                    var settings = ProviderClientSettings()
                    if let retry { settings.retry = retry }
                    settings.outbound = .unrestricted
                    try await ProviderClient.with(settings: settings, logger: Self.logger) { client in
                        let runner = ImportRunner(
                            records: store.records,
                            progress: store.records,
                            runs: store.runs,
                            logger: Self.logger
                        )
                        try await body(
                            Harness(
                                store: store,
                                connection: connection,
                                session: client.session(for: providerConnection),
                                sandbox: sandbox,
                                runner: runner
                            )
                        )
                    }
                }
            }
        }
    }

    @Test("imports every HaloPSA entity type completely; a second run of tickets asks one page and writes nothing")
    func everyEntityType() async throws {
        let counts = HaloPSARecordCounts(
            clients: 2_500,
            sites: 60,
            users: 90,
            assets: 70,
            agents: 4,
            tickets: 50,
            actions: 120,
            timesheets: 40
        )
        try await Self.withHarness(counts: counts) { harness in
            for entity in HaloPSAEntity.allCases {
                let run = try await harness.run(entity.rawValue)
                #expect(run.status == .succeeded)
                #expect(run.counts.created == counts[entity], "\(entity.rawValue)")
                #expect(run.counts.failed == 0, "\(entity.rawValue)")
                #expect(try await harness.stored(entity.rawValue) == counts[entity], "\(entity.rawValue)")
            }
            let clients = try await harness.store.runs.list(
                tenantID: harness.connection.tenantID,
                connectionID: harness.connection.id,
                limit: 100
            ).first { $0.entityType == "clients" }
            #expect(clients?.pages == 3)
            // The first run of the session also fetched the token.
            #expect(clients?.requests == 4)

            let before = harness.sandbox.emulator.apiRequestCount
            let again = try await harness.run("tickets")
            #expect(harness.sandbox.emulator.apiRequestCount - before == 1)
            #expect(again.requests == 1)
            #expect(again.counts.created + again.counts.updated + again.counts.deleted == 0)
            let last = try #require(harness.sandbox.emulator.requests.all.last)
            #expect(last.queryValue("datesearch") == "last_update")
            #expect(last.queryValue("startdate") != nil)

            // A ticket edited upstream comes back as one update, and only it.
            harness.sandbox.emulator.touch(.tickets, ids: [7], at: Date().addingTimeInterval(3600))
            let touched = try await harness.run("tickets")
            #expect(touched.counts.updated == 1)
            let feed = try await harness.store.records.changes(
                tenantID: harness.connection.tenantID,
                connectionID: harness.connection.id,
                after: 0,
                limit: 10_000
            )
            #expect(feed.last?.entityType == "tickets")
            #expect(feed.last?.externalID == "7")
            #expect(feed.last?.kind == .updated)
        }
    }

    @Test("a run cut off by the provider resumes at the page after its checkpoint, every client stored once")
    func resumesAfterFailure() async throws {
        // The third page request answers 500, and the policy gives up at once.
        let scenario = SandboxScenario(failures: [.init(requests: 3...3, status: 500)])
        try await Self.withHarness(
            counts: HaloPSARecordCounts(clients: 4_500),
            scenario: scenario,
            retry: RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1))
        ) { harness in
            let failure = await #expect(throws: ImportFailure.self) { try await harness.run("clients") }
            #expect(failure?.run.pages == 2)
            #expect(failure?.run.errorClass == "retryable")
            #expect(try await harness.stored("clients") == 2_000)

            harness.sandbox.emulator.requests.removeAll()
            let resumed = try await harness.run("clients")
            #expect(resumed.expectedRecords != nil, "HaloPSA states record_count: the runner passes it on for an ETA")
            #expect(resumed.resumed)
            #expect(resumed.pages == 3)
            let pages = harness.sandbox.emulator.requests.all.filter { $0.path.hasSuffix("/api/Client") }
            #expect(pages.map { $0.queryValue("page_no") } == ["3", "4", "5"])
            #expect(try await harness.stored("clients") == 4_500)
            let feed = try await harness.store.records.changes(
                tenantID: harness.connection.tenantID,
                connectionID: harness.connection.id,
                after: 0,
                limit: 10_000
            )
            #expect(feed.count == 4_500)
            #expect(Set(feed.map(\.externalID)) == Set((1...4_500).map(String.init)))
            #expect(resumed.counts.deleted == 0)
        }
    }
}
