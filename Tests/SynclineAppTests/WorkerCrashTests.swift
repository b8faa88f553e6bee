import Foundation
import Logging
import SynclineCore
import SynclineEngine
import SynclineSandbox
import SynclineStore
import SynclineTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The queue's promise under the worst case: workers on several processes share one PostgreSQL, and the one
/// running a sync is killed (SIGKILL: no cleanup at all), twice. The sync must still finish, store every record
/// exactly once, and resume from its checkpoint instead of starting again at page 1.
@Suite("Worker processes killed mid-sync on PostgreSQL")
struct WorkerCrashTests {
    static let logger: Logger = {
        var logger = Logger(label: "syncline.tests")
        logger.logLevel = .warning
        return logger
    }()

    static var canRun: Bool {
        synclineExecutablePath() != nil && (PostgresTestCluster.isAvailable || PostgresTestCluster.isRequired)
    }

    @Test(
        "three workers, the one holding the sync killed twice: 50,000 clients stored once, resumed from checkpoints",
        .enabled(if: canRun, "needs the built syncline executable and PostgreSQL"),
        .timeLimit(.minutes(10))
    )
    func killedTwice() async throws {
        let executable = try #require(synclineExecutablePath())
        let url = try await PostgresTestCluster.makeDatabase()
        let keyText = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let cipher = CredentialCipher(ring: KeyRing(active: try MasterKey(base64: keyText, source: "test")))
        let total = 50_000
        // Every API request takes 40 ms, so the 50 pages take long enough to kill workers in the middle.
        let emulator = HaloPSAEmulator.Configuration(
            recordCounts: HaloPSARecordCounts(clients: total),
            scenario: SandboxScenario(slowResponses: .init(delay: .milliseconds(40)))
        )
        try await withHaloPSASandbox(emulator) { sandbox in
            try await SQLStore.with(.postgres(url: url), cipher: cipher, logger: Self.logger) { store in
                try await store.migrator.migrate()
                let (tenant, connection) = try await makeHaloConnection(in: store, url: sandbox.baseURL)
                let job = try await store.jobs.enqueue(
                    SyncJobs.importJob(
                        tenantID: tenant.id,
                        connectionID: connection.id,
                        entityType: "clients",
                        trigger: .manual
                    ),
                    now: Date()
                ).job

                let environment = [
                    "SYNCLINE_MASTER_KEY": keyText, "SYNCLINE_JOB_LEASE_SECONDS": "2", "SYNCLINE_SANDBOX": "false",
                    "SYNCLINE_ALLOW_PRIVATE_NETWORKS": "1",
                ]
                var workers: [Int32: ChildProcess] = [:]
                for _ in 0..<3 {
                    let child = try ChildProcess(
                        executable,
                        ["worker", "--database-url", url, "--workers", "1", "--log-level", "info"],
                        environment: environment
                    )
                    workers[child.pid] = child
                }
                for child in workers.values { try await child.waitForOutput(containing: "Syncline worker is running") }

                func stored() async throws -> Int {
                    try await store.records.count(
                        tenantID: tenant.id,
                        connectionID: connection.id,
                        entityType: "clients"
                    )
                }
                /// Waits until at least `count` records are stored, then kills the worker holding the job.
                func kill(after count: Int) async throws -> Int32 {
                    try await eventually("\(count) records stored") { try await stored() >= count }
                    let holder = try #require(try await store.jobs.find(id: job.id, tenantID: tenant.id)?.leaseOwner)
                    let pid = try #require(Int32(holder.split(separator: ":")[1]))
                    let child = try #require(workers[pid], "the job is held by \(holder), not one of our workers")
                    child.signal(SIGKILL)
                    #expect(try await child.waitForExit() == 128 + SIGKILL)
                    return pid
                }
                let first = try await kill(after: 8_000)
                let second = try await kill(after: try await stored() + 8_000)
                #expect(first != second)

                try await eventually("the job succeeded", timeout: 480) {
                    try await store.jobs.find(id: job.id, tenantID: tenant.id)?.status == .succeeded
                }
                for child in workers.values where child.pid != first && child.pid != second {
                    child.signal(SIGTERM)
                    #expect(try await child.waitForExit() == 0)
                }

                // Every client exactly once.
                #expect(try await stored() == total)
                let feed = try await store.records.changes(
                    tenantID: tenant.id,
                    connectionID: connection.id,
                    after: 0,
                    limit: 10_000
                )
                #expect(feed.count == 10_000)
                var ids = Set<String>()
                var after: Int64 = 0
                while true {
                    let page = try await store.records.changes(
                        tenantID: tenant.id,
                        connectionID: connection.id,
                        after: after,
                        limit: 10_000
                    )
                    guard let last = page.last else { break }
                    ids.formUnion(page.map(\.externalID))
                    after = last.sequence
                }
                #expect(ids == Set((1...total).map(String.init)))

                // Resumed, not restarted: page 1 was asked once, and each kill costs at most three pages again
                // (the page being written when the worker died, the one prepared and the one fetched ahead of it).
                let pages = sandbox.emulator.requests.all.filter { $0.path.hasSuffix("/api/Client") }
                    .compactMap { $0.queryValue("page_no").flatMap(Int.init) }
                #expect(pages.filter { $0 == 1 }.count == 1)
                #expect(Set(pages) == Set(1...50))
                #expect(pages.count <= 56)
                let runs = try await store.runs.list(tenantID: tenant.id, connectionID: connection.id, limit: 10)
                #expect(runs.count == 3)
                #expect(runs.first?.status == .succeeded)
                #expect(runs.first?.resumed == true)
                #expect(
                    runs.dropFirst().allSatisfy { $0.status == .failed && $0.error?.contains("interrupted") == true }
                )
                let finished = try #require(try await store.jobs.find(id: job.id, tenantID: tenant.id))
                #expect(finished.attempts == 3)
            }
        }
    }
}

/// Polls `condition` every 20 ms until it holds, failing the test after `timeout` seconds.
func eventually(
    _ what: String,
    timeout: Double = 120,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out after \(timeout) s waiting until \(what)")
    throw CancellationError()
}
