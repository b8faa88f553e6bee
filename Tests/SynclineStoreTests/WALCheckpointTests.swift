import Foundation
import Logging
import SQLKit
import SQLiteNIO
import SynclineStore
import SynclineTestSupport
import Testing

@Suite("SQLite's write-ahead log is checkpointed beside the writer")
struct WALCheckpointTests {
    @Test("committed pages reach the database file without the writer's own checkpoint, which waits for 40 MB")
    func backgroundCheckpoint() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("wal.sqlite").path
            try await Database.with(.sqliteFile(path: path), logger: Logger(label: "test")) { database in
                try await database.withConnection { db in
                    try await db.raw("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").run()
                }
                let before = try fileSize(path)
                // About 2 MB in 500 pages of the log: a twentieth of the writer's threshold.
                let body = String(repeating: "x", count: 4000)
                try await database.transaction { db in
                    for id in 0..<500 {
                        try await db.raw("INSERT INTO blobs (id, body) VALUES (\(bind: id), \(bind: body))").run()
                    }
                }
                let deadline = ContinuousClock.now + .seconds(10)
                while try fileSize(path) < before + 2_000_000, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(try fileSize(path) >= before + 2_000_000)
                // The writer still reads what it wrote, through the checkpoint.
                let count = try await database.withConnection { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM blobs").first()?.decode(column: "n", as: Int.self)
                }
                #expect(count == 500)
            }
            // Closed cleanly: the last connection folded the log into the file and removed it.
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        }
    }

    @Test("a new database file has 16 KiB pages; a file that exists keeps the page size it was made with")
    func pageSize() async throws {
        try await withTemporaryDirectory { directory in
            let fresh = directory.appendingPathComponent("new.sqlite").path
            #expect(try await pageSize(of: fresh) == 16_384)
            // Made by another program with SQLite's default page size, and holding a table.
            let old = directory.appendingPathComponent("old.sqlite").path
            let other = try await SQLiteConnection.open(storage: .file(path: old))
            try await other.query("PRAGMA page_size = 4096", []) { _ in }
            try await other.query("CREATE TABLE kept (id INTEGER PRIMARY KEY)", []) { _ in }
            try await other.close().get()
            #expect(try await pageSize(of: old) == 4096)
            let kept = try await Database.with(.sqliteFile(path: old), logger: Logger(label: "test")) { database in
                try await database.withConnection { db in
                    try await db.raw("SELECT name FROM sqlite_master WHERE name = 'kept'").first() != nil
                }
            }
            #expect(kept)
        }
    }

    private func pageSize(of path: String) async throws -> Int? {
        try await Database.with(.sqliteFile(path: path), logger: Logger(label: "test")) { database in
            try await database.withConnection { db in
                try await db.raw("PRAGMA page_size").first()?.decode(column: "page_size", as: Int.self)
            }
        }
    }

    private func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
