import ArgumentParser
import Foundation
import Logging
import SynclineApp
import SynclineCore
import SynclineEngine
import SynclineProviders
import SynclineStore
import SynclineTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Release-build measurements behind BENCHMARKS.md: imports from an emulated HaloPSA running in another
/// process (`syncline sandbox`), no-op jobs through the queue, and mapping records. Figures are printed one per line.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "syncline-bench",
        abstract: "Measure imports, the job queue and mappings (build with -c release).",
        subcommands: [ImportBench.self, QueueBench.self, QueueWorker.self, MappingBench.self]
    )

    /// As `syncline` starts: the allocator's arenas limited before any other thread exists, so peak memory is
    /// measured as a server would have it.
    static func main() async {
        MallocArenas.apply(environment: ProcessInfo.processInfo.environment, command: nil)
        await main(nil)
    }
}

/// Peak resident memory of this process, in MB (Linux reports ru_maxrss in KB).
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

let benchLogger: Logger = {
    var logger = Logger(label: "syncline.bench")
    logger.logLevel = .error
    return logger
}()

/// Where a benchmark stores: a SQLite file in a temporary directory, or PostgreSQL (a given URL, or a throwaway
/// cluster started for the run).
struct StoreChoice: ParsableArguments {
    @Option(help: "sqlite or postgres") var database = "sqlite"
    @Option(help: "An existing PostgreSQL URL; without it a throwaway cluster is started.") var databaseURL: String?

    func withStore<T: Sendable>(
        cipher: CredentialCipher,
        _ body: (SQLStore, DatabaseLocation) async throws -> T
    ) async throws -> T {
        switch database {
        case "sqlite":
            return try await withTemporaryDirectory { directory in
                let location = DatabaseLocation.sqliteFile(
                    path: directory.appendingPathComponent("bench.sqlite").path
                )
                return try await SQLStore.with(location, cipher: cipher, logger: benchLogger) { store in
                    try await store.migrator.migrate()
                    return try await body(store, location)
                }
            }
        case "postgres":
            let url: String
            if let databaseURL {
                url = databaseURL
            } else {
                url = try await PostgresTestCluster.makeDatabase()
            }
            return try await SQLStore.with(.postgres(url: url), cipher: cipher, logger: benchLogger) { store in
                try await store.migrator.migrate()
                return try await body(store, .postgres(url: url))
            }
        default:
            throw ValidationError("--database must be sqlite or postgres")
        }
    }
}

/// The `syncline` executable beside this one (both built into the same folder).
func synclineBinary() throws -> String {
    let path = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("syncline").path
    guard FileManager.default.isExecutableFile(atPath: path) else {
        throw ValidationError("build the syncline executable too: swift build -c release")
    }
    return path
}

/// A free loopback port, found by binding port 0 (the emulator binds it again a moment later).
func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
