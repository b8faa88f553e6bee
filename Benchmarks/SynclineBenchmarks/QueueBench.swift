import ArgumentParser
import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import Synchronization
import SynclineCore
import SynclineEngine
import SynclineStore
import SynclineTestSupport
import UnixSignals

/// `syncline-bench queue --jobs 20000 --database sqlite [--processes 4]`: no-op jobs through the queue, claimed
/// and acknowledged in batches, by one pool in this process or by N worker processes sharing PostgreSQL.
struct QueueBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue")

    @OptionGroup var store: StoreChoice
    @Option var jobs = 20_000
    @Option(help: "Worker processes (PostgreSQL only); 0 runs the pool in this process.") var processes = 0
    @Option var concurrency = 4
    @Option var batch = 100

    func run() async throws {
        let cipher = CredentialCipher(ring: KeyRing(active: MasterKey.generate()))
        try await store.withStore(cipher: cipher) { store, location in
            let tenant = try await store.tenants.create(name: "Bench")
            let enqueueStart = ContinuousClock.now
            for _ in 0..<jobs {
                _ = try await store.jobs.enqueue(
                    NewJob(tenantID: tenant.id, connectionID: nil, kind: "noop"),
                    now: Date()
                )
            }
            let enqueueSeconds = seconds(ContinuousClock.now - enqueueStart)
            print(
                "enqueue \(location.dialect.rawValue): \(jobs) jobs in " + String(format: "%.2f", enqueueSeconds)
                    + " s = " + String(format: "%.0f", Double(jobs) / enqueueSeconds) + " jobs/s (one INSERT each)"
            )
            if processes > 0 {
                guard case .postgres(let url) = location else {
                    throw ValidationError("--processes needs --database postgres")
                }
                // The workers start, open the store and build their pools, then wait for this file: the clock
                // measures the queue, not process start-up (about half a second for four on this machine,
                // which the figure until stop 11 included; it is printed beside the figure).
                let startFile = FileManager.default.temporaryDirectory
                    .appendingPathComponent("syncline-queue-start-\(UUID().uuidString)").path
                defer { try? FileManager.default.removeItem(atPath: startFile) }
                let executable = CommandLine.arguments[0]
                let spawned = ContinuousClock.now
                let children = try (0..<processes).map { _ in
                    try ChildProcess(
                        executable,
                        [
                            "queue-worker", "--database-url", url, "--concurrency", "\(concurrency)", "--batch",
                            "\(batch)", "--start-file", startFile,
                        ]
                    )
                }
                for child in children { try await child.waitForOutput(containing: "ready") }
                let started = ContinuousClock.now
                guard FileManager.default.createFile(atPath: startFile, contents: nil) else {
                    throw ValidationError("cannot create \(startFile)")
                }
                while try await !drained(store) {
                    try await Task.sleep(for: .milliseconds(10))
                }
                let elapsed = seconds(ContinuousClock.now - started)
                let withStartUp = seconds(ContinuousClock.now - spawned)
                for child in children { child.signal(SIGTERM) }
                for child in children { _ = try? await child.waitForExit() }
                report(location, elapsed, "\(processes) processes x \(concurrency) loops")
                print(
                    "  from spawning the workers: " + String(format: "%.2f", withStartUp) + " s = "
                        + String(format: "%.0f", Double(jobs) / withStartUp) + " jobs/s"
                )
            } else {
                let started = ContinuousClock.now
                let handled = HandledCount()
                let pool = WorkerPool(
                    queue: store.jobs,
                    handlers: ["noop": ClosureJobHandler { _, _ in handled.increment() }],
                    settings: queueSettings(concurrency: concurrency, batch: batch),
                    logger: benchLogger
                )
                let group = ServiceGroup(configuration: .init(services: [.init(service: pool)], logger: benchLogger))
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    // Polling the database while the pool works would take the one SQLite connection from it:
                    // wait for the handlers, then for the last acknowledgements.
                    while handled.value < jobs { try await Task.sleep(for: .milliseconds(1)) }
                    while try await !drained(store) { try await Task.sleep(for: .milliseconds(1)) }
                    let elapsed = seconds(ContinuousClock.now - started)
                    report(location, elapsed, "1 process x \(concurrency) loops")
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                }
            }
        }
    }

    /// Whether no job is waiting or running: two index probes, cheap enough to poll while workers run (a
    /// `COUNT(*)` by status reads the whole table each time).
    func drained(_ store: SQLStore) async throws -> Bool {
        struct Found: Decodable { var id: String }
        return try await store.database.withConnection { db in
            let waiting = try await db.raw("SELECT id FROM jobs WHERE status IN ('pending', 'retrying') LIMIT 1")
                .first(decoding: Found.self)
            if waiting != nil { return false }
            return try await db.raw("SELECT id FROM jobs WHERE status = 'running' LIMIT 1").first(decoding: Found.self)
                == nil
        }
    }

    func report(_ location: DatabaseLocation, _ elapsed: Double, _ shape: String) {
        print(
            "queue \(location.dialect.rawValue) \(shape), claim batch \(batch): \(jobs) jobs in "
                + String(format: "%.2f", elapsed) + " s = " + String(format: "%.0f", Double(jobs) / elapsed)
                + " jobs/s"
        )
    }
}

/// One worker process of the multi-process queue benchmark.
struct QueueWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queue-worker", shouldDisplay: false)

    @Option var databaseURL: String
    @Option var concurrency = 4
    @Option var batch = 100
    @Option(help: "Once ready, print \"ready\" and wait for this file to exist before claiming.")
    var startFile: String?

    func run() async throws {
        let cipher = CredentialCipher(ring: KeyRing(active: MasterKey.generate()))
        try await SQLStore.with(.postgres(url: databaseURL), cipher: cipher, logger: benchLogger) { store in
            let pool = WorkerPool(
                queue: store.jobs,
                handlers: ["noop": ClosureJobHandler { _, _ in }],
                settings: queueSettings(concurrency: concurrency, batch: batch),
                logger: benchLogger
            )
            if let startFile {
                // Connected: a first statement opens the pool's connection before the clock starts.
                _ = try await store.health()
                FileHandle.standardError.write(Data("ready\n".utf8))
                while !FileManager.default.fileExists(atPath: startFile) {
                    try await Task.sleep(for: .milliseconds(1))
                }
            }
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: pool)],
                    gracefulShutdownSignals: [.sigterm],
                    logger: benchLogger
                )
            )
            try await group.run()
        }
    }
}

/// Jobs the benchmark's handler has run, counted without touching the database.
final class HandledCount: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

func queueSettings(concurrency: Int, batch: Int) -> WorkerPoolSettings {
    var settings = WorkerPoolSettings()
    settings.concurrency = concurrency
    settings.claimBatch = batch
    settings.ackBatch = batch
    settings.pollInterval = .milliseconds(5)
    return settings
}

func seconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) + Double(attoseconds) / 1e18
}
