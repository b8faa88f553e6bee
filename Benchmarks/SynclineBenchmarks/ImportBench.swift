import ArgumentParser
import Foundation
import Logging
import SynclineApp
import SynclineCore
import SynclineEngine
import SynclineProviders
import SynclineStore
import SynclineTestSupport

/// `syncline-bench import --clients 100000 --database sqlite`: HaloPSA clients in pages of 1000 from the emulator
/// in another process into the records store; then a run with nothing changed, and tickets twice (incremental).
struct ImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import")

    @OptionGroup var store: StoreChoice
    @Option var clients = 100_000
    @Flag(help: "Map each record through its entity type's default mapping (clients to company), as serve does.")
    var mapped = false

    /// The entity type's default mapping, compiled, with `--mapped`; nil without it.
    func mapping(_ entity: String, of definition: ProviderDefinition) throws -> CompiledMapping? {
        guard mapped else { return nil }
        guard let mapping = definition.entityType(named: entity)?.defaultMapping else {
            throw ValidationError("halopsa's \(entity) has no default mapping")
        }
        return try CompiledMapping(mapping)
    }

    func run() async throws {
        let port = try freePort()
        let sandbox = try ChildProcess(
            try synclineBinary(),
            ["sandbox", "--port", "\(port)", "--clients", "\(clients)", "--log-level", "info"]
        )
        try await sandbox.waitForOutput(containing: "listening")
        defer { sandbox.signal(SIGTERM) }
        let cipher = CredentialCipher(ring: KeyRing(active: MasterKey.generate()))
        guard var definition = try ProviderCatalog.load().provider(slug: "halopsa") else {
            throw ValidationError("no bundled halopsa provider")
        }
        // HaloPSA's declared budget (about 300 requests per 5 minutes) would pace a large import, which is right
        // against a real instance but measures the budget, not Syncline. Past 250 pages it is lifted.
        if clients > 250_000 { definition.rateLimit = nil }
        let baseline = peakRSSMegabytes()
        try await store.withStore(cipher: cipher) { store, location in
            let tenant = try await store.tenants.create(name: "Bench")
            let connection = Connection(
                id: Identifier.make(prefix: "con"),
                tenantID: tenant.id,
                provider: "halopsa",
                name: "Bench",
                status: .active,
                createdAt: Date(),
                updatedAt: Date()
            )
            try await store.connections.create(connection)
            let providerConnection = try ProviderConnection(
                definition: definition,
                config: ["url": "http://127.0.0.1:\(port)/halopsa"],
                credentials: ["client_id": "demo", "client_secret": "demo"]
            )
            // The emulator is another process on loopback, which the default outbound policy refuses.
            var settings = ProviderClientSettings()
            settings.outbound = .unrestricted
            try await ProviderClient.with(settings: settings, logger: benchLogger) { client in
                let session = client.session(for: providerConnection)
                let runner = ImportRunner(
                    records: store.records,
                    progress: store.records,
                    runs: store.runs,
                    logger: benchLogger
                )
                func run(_ entity: String) async throws -> (SyncRun, Double) {
                    let job = ImportJob(
                        tenantID: tenant.id,
                        connectionID: connection.id,
                        entityType: entity,
                        trigger: .manual
                    )
                    let started = ContinuousClock.now
                    let result = try await runner.run(
                        job,
                        from: try ProviderRecordSource(
                            session: session,
                            entityType: entity,
                            mapping: try mapping(entity, of: definition)
                        )
                    )
                    let elapsed = ContinuousClock.now - started
                    let (seconds, attoseconds) = elapsed.components
                    return (result, Double(seconds) + Double(attoseconds) / 1e18)
                }
                let dialect = location.dialect.rawValue
                let (first, seconds) = try await run("clients")
                let kind = mapped ? "\(dialect) mapped" : dialect
                let problems = mapped ? ", failed \(first.counts.failed), with warnings \(first.counts.warnings)" : ""
                print(
                    "import \(kind) clients=\(clients): \(first.counts.created) created in "
                        + String(format: "%.2f", seconds) + " s = "
                        + String(format: "%.0f", Double(first.counts.created) / seconds) + " records/s, "
                        + "pages \(first.pages), requests \(first.requests)" + problems
                )
                let (second, again) = try await run("clients")
                print(
                    "reimport \(dialect) unchanged: \(second.counts.unchanged) unchanged, "
                        + "\(second.counts.created + second.counts.updated + second.counts.deleted) changed, "
                        + "requests \(second.requests), " + String(format: "%.2f", again) + " s"
                )
                _ = try await run("tickets")
                let (tickets, _) = try await run("tickets")
                print(
                    "tickets second run (incremental): requests \(tickets.requests), record writes "
                        + "\(tickets.counts.created + tickets.counts.updated + tickets.counts.deleted)"
                )
            }
        }
        print(
            "peak RSS \(String(format: "%.1f", peakRSSMegabytes())) MB (before the store opened: "
                + String(format: "%.1f", baseline) + " MB)"
        )
    }
}
