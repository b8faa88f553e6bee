import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for the test run: started once (lazily) in a temporary directory on a free
/// loopback port, and stopped by a watchdog when the test process exits. Each test asks for its own database.
/// `SYNCLINE_TEST_DATABASE_URL` points the tests at an existing server instead.
public enum PostgresTestCluster {
    /// Whether tests may run against PostgreSQL here, and if not, why.
    public enum Availability: Sendable {
        case external(url: String)
        case binaries(directory: String)
        case unavailable(reason: String)
    }

    /// True when `SYNCLINE_REQUIRE_POSTGRES=1`: a missing PostgreSQL is then a test failure, not a skip.
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["SYNCLINE_REQUIRE_POSTGRES"] == "1"
    }

    public static var availability: Availability {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["SYNCLINE_TEST_DATABASE_URL"], !url.isEmpty {
            return .external(url: url)
        }
        if let directory = binaryDirectory() {
            return .binaries(directory: directory)
        }
        return .unavailable(
            reason: "PostgreSQL binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin; "
                + "PostgreSQL tests are skipped (install the postgresql package, or set SYNCLINE_TEST_DATABASE_URL)"
        )
    }

    public static var isAvailable: Bool {
        if case .unavailable = availability { return false }
        return true
    }

    /// A fresh, empty database on the shared server, as a `postgres://` URL.
    public static func makeDatabase() async throws -> String {
        let server = try await shared.value
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try server.run(sql: "CREATE DATABASE \(name)")
        return server.url(database: name)
    }

    private static let shared = Task { try Server.start() }

    /// The directory holding initdb and pg_ctl: the newest /usr/lib/postgresql/N/bin, else PATH.
    static func binaryDirectory() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let directory = "\(root)/\(version)/bin"
            if FileManager.default.isExecutableFile(atPath: "\(directory)/initdb")
                && FileManager.default.isExecutableFile(atPath: "\(directory)/pg_ctl")
            {
                return directory
            }
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init)
        where FileManager.default.isExecutableFile(atPath: "\(directory)/initdb")
            && FileManager.default.isExecutableFile(atPath: "\(directory)/pg_ctl")
            && FileManager.default.isExecutableFile(atPath: "\(directory)/postgres")
        {
            return directory
        }
        return nil
    }

    /// A running server and how to reach it.
    struct Server: Sendable {
        /// `postgres://user@host:port`, without a database.
        let baseURL: String
        let psql: String

        func url(database: String) -> String { "\(baseURL)/\(database)" }

        func run(sql: String) throws {
            try Command.run(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url(database: "postgres"), "-c", sql])
        }

        static func start() throws -> Server {
            switch PostgresTestCluster.availability {
            case .unavailable(let reason):
                throw CommandError(message: reason)
            case .external(let url):
                let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
                let base = trimmed.split(separator: "/", omittingEmptySubsequences: false).dropLast()
                    .joined(separator: "/")
                return Server(baseURL: base, psql: "psql")
            case .binaries(let directory):
                return try startCluster(binaries: directory)
            }
        }

        private static func startCluster(binaries: String) throws -> Server {
            let root = FileManager.default.temporaryDirectory
                .appendingPathComponent("syncline-pg-\(UUID().uuidString.prefix(8))").path
            let data = root + "/data"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let asRoot = geteuid() == 0
            var prefix: [String] = []
            if asRoot {
                // initdb and postgres refuse to run as root: run them as the `postgres` user.
                try Command.run("chown", ["postgres:", root])
                try Command.run("chmod", ["0755", root])
                prefix = ["runuser", "-u", "postgres", "--"]
            }
            let port = try freePort()
            let initdb =
                prefix + [
                    "\(binaries)/initdb", "-D", data, "-U", "syncline", "--auth=trust", "-E", "UTF8", "--no-sync",
                ]
            try Command.run(initdb[0], Array(initdb.dropFirst()))
            let start =
                prefix + [
                    "\(binaries)/pg_ctl", "-D", data, "-l", root + "/server.log", "-w", "-t", "60",
                    "-o",
                    "-p \(port) -c listen_addresses=127.0.0.1 -k \(root) -c fsync=off "
                        + "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                    "start",
                ]
            try Command.run(start[0], Array(start.dropFirst()))
            startWatchdog(stop: prefix + ["\(binaries)/pg_ctl", "-D", data, "-m", "immediate", "stop"], root: root)
            let psql = FileManager.default.isExecutableFile(atPath: "\(binaries)/psql") ? "\(binaries)/psql" : "psql"
            return Server(baseURL: "postgres://syncline@127.0.0.1:\(port)", psql: psql)
        }

        /// Stops the cluster and removes its directory once this test process has gone, however it ends.
        private static func startWatchdog(stop: [String], root: String) {
            let quoted = stop.map { "'\($0)'" }.joined(separator: " ")
            let script =
                "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; \(quoted) >/dev/null 2>&1; rm -rf '\(root)'"
            // Started in the background by the shell itself, so nothing here waits for it.
            _ = try? Command.capture("/bin/sh", ["-c", "(\(script)) >/dev/null 2>&1 </dev/null &"])
        }

        private static func freePort() throws -> Int {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw CommandError(message: "cannot open a socket to find a free port") }
            defer { close(descriptor) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
            }
            guard bound == 0 else { throw CommandError(message: "cannot bind a socket to find a free port") }
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            guard named == 0 else { throw CommandError(message: "cannot read the free port") }
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }
}
