import Foundation
import SQLKit
import SynclineCore
import SynclineStore
import Testing

/// Records, their change feed, import progress and runs: the same checks on every backend.
extension ConformanceCheck {
    static let records: [ConformanceCheck] = [
        .init(name: "records are counted created, updated or unchanged by content", run: recordsCountedByContent),
        .init(name: "the change feed is ordered and gap-free per connection", run: recordsChangeFeed),
        .init(name: "a full sync marks records it no longer sees as deleted", run: recordsFullSyncDeletes),
        .init(name: "a listing marks only what it finds unchanged, across resumed pages", run: recordsListingMarks),
        .init(name: "a content hash of any text is stored as given, never as SQL", run: recordsForeignHash),
        .init(name: "a page that starts new but holds known records is counted and sequenced", run: recordsMixedPage),
        .init(name: "a page and its checkpoint commit together", run: recordsCheckpointWithPage),
        .init(name: "records of another tenant are invisible and untouched", run: recordsIsolated),
        .init(name: "import progress completes, advances the cursor and resets", run: importProgressLifecycle),
        .init(name: "runs round-trip every field, newest first, with failures", run: runsRoundTrip),
    ]

    static func page(
        _ connection: Connection,
        _ records: [(String, JSONValue)],
        run: String = "run_1",
        checkpoint: String? = nil,
        cursor: String? = nil,
        full: Bool = true,
        entity: String = "clients"
    ) throws -> PageWrite {
        PageWrite(
            tenantID: connection.tenantID,
            connectionID: connection.id,
            entityType: entity,
            runID: run,
            records: try records.map { try IncomingRecord(externalID: $0.0, raw: $0.1) },
            checkpoint: checkpoint,
            cursorSeen: cursor,
            fullSync: full
        )
    }

    /// A tenant with one connection, the starting point of most checks here.
    static func acmeConnection(_ store: SQLStore) async throws -> (Tenant, Connection) {
        let tenant = try await store.tenants.create(name: "Acme")
        let connection = makeConnection(tenant: tenant)
        try await store.connections.create(connection)
        return (tenant, connection)
    }

    /// How many live client records `connection` holds.
    static func liveClients(_ store: SQLStore, _ connection: Connection) async throws -> Int {
        try await store.records.count(tenantID: connection.tenantID, connectionID: connection.id, entityType: "clients")
    }

    static func client(_ id: Int, _ name: String) -> (String, JSONValue) {
        ("\(id)", .object(["id": .number(Double(id)), "name": .string(name)]))
    }

    static func recordsCountedByContent(_ store: SQLStore) async throws {
        let (tenant, connection) = try await acmeConnection(store)

        let first = try await store.records.write(page(connection, [client(1, "A"), client(2, "B")]))
        #expect(first == RecordCounts(seen: 2, created: 2))
        let second = try await store.records.write(page(connection, [client(1, "A"), client(2, "B2"), client(3, "C")]))
        #expect(second == RecordCounts(seen: 3, created: 1, updated: 1, unchanged: 1))
        // One id twice in a page is one record, the last one wins.
        let repeated = try await store.records.write(page(connection, [client(4, "old"), client(4, "new")]))
        #expect(repeated.created == 1)
        #expect(try await liveClients(store, connection) == 4)
        let changes = try await store.records.changes(
            tenantID: tenant.id,
            connectionID: connection.id,
            after: 0,
            limit: 100
        )
        #expect(changes.last?.raw?.objectValue?["name"] == .string("new"))
    }

    static func recordsChangeFeed(_ store: SQLStore) async throws {
        let tenant = try await store.tenants.create(name: "Acme")
        let connection = makeConnection(tenant: tenant)
        let other = makeConnection(tenant: tenant, name: "Other")
        try await store.connections.create(connection)
        try await store.connections.create(other)

        _ = try await store.records.write(page(connection, [client(1, "A"), client(2, "B")]))
        _ = try await store.records.write(page(other, [client(1, "X")]))
        _ = try await store.records.write(page(connection, [client(1, "A2"), client(3, "C")], run: "run_2"))

        let feed = try await store.records.changes(
            tenantID: tenant.id,
            connectionID: connection.id,
            after: 0,
            limit: 100
        )
        // Record 1 moved to the end when it changed: the feed holds each record's latest change.
        #expect(feed.map(\.externalID) == ["2", "1", "3"])
        #expect(feed.map(\.sequence) == [2, 3, 4])
        #expect(feed.map(\.kind) == [.created, .updated, .created])
        let tail = try await store.records.changes(
            tenantID: tenant.id,
            connectionID: connection.id,
            after: 3,
            limit: 100
        )
        #expect(tail.map(\.externalID) == ["3"])
        let limited = try await store.records.changes(
            tenantID: tenant.id,
            connectionID: connection.id,
            after: 0,
            limit: 1
        )
        #expect(limited.map(\.sequence) == [2])

        let otherFeed = try await store.records.changes(
            tenantID: tenant.id,
            connectionID: other.id,
            after: 0,
            limit: 100
        )
        #expect(otherFeed.map(\.sequence) == [1])
    }

    static func recordsFullSyncDeletes(_ store: SQLStore) async throws {
        let (tenant, connection) = try await acmeConnection(store)
        _ = try await store.records.write(page(connection, [client(1, "A"), client(2, "B"), client(3, "C")]))

        // The second full listing sees 1 (unchanged) and 3 (changed), not 2.
        _ = try await store.records.write(page(connection, [client(1, "A"), client(3, "C2")], run: "run_2"))
        let deleted = try await store.records.finishFullSync(
            tenantID: tenant.id,
            connectionID: connection.id,
            entityType: "clients",
            runID: "run_2"
        )
        #expect(deleted == 1)
        #expect(try await liveClients(store, connection) == 2)
        let feed = try await store.records.changes(
            tenantID: tenant.id,
            connectionID: connection.id,
            after: 4,
            limit: 10
        )
        #expect(feed.map(\.externalID) == ["2"])
        #expect(feed.first?.kind == .deleted)

        // Finishing again deletes nothing more; a record that comes back is created again in the feed.
        #expect(
            try await store.records.finishFullSync(
                tenantID: tenant.id,
                connectionID: connection.id,
                entityType: "clients",
                runID: "run_2"
            ) == 0
        )
        let back = try await store.records.write(page(connection, [client(2, "B")], run: "run_3"))
        #expect(back.updated == 1)
        #expect(try await liveClients(store, connection) == 3)
    }

    /// What a full listing saw: the records it stored have a sequence after its start and need no listing row;
    /// only records it finds unchanged get one. The start is kept from the listing's first page, including
    /// across a resumed attempt, so a record created on an earlier page is not taken for unseen.
    static func recordsListingMarks(_ store: SQLStore) async throws {
        let (tenant, connection) = try await acmeConnection(store)
        func listingRows() async throws -> [String] {
            try await store.database.withConnection { db in
                try await db.raw("SELECT external_id FROM record_listings ORDER BY external_id").all()
                    .map { try $0.decode(column: "external_id", as: String.self) }
            }
        }
        func finish(_ run: String) async throws -> Int {
            try await store.records.finishFullSync(
                tenantID: tenant.id,
                connectionID: connection.id,
                entityType: "clients",
                runID: run
            )
        }

        // A first listing in two pages creates everything and writes no listing row.
        _ = try await store.records.write(page(connection, [client(1, "A"), client(2, "B")], checkpoint: "p2"))
        _ = try await store.records.write(page(connection, [client(3, "C")]))
        #expect(try await listingRows().isEmpty)
        #expect(try await finish("run_1") == 0)

        // An incremental run changes 2 and marks nothing; the next listing does not see 2, so 2 is deleted even
        // though it changed after the first listing.
        _ = try await store.records.write(page(connection, [client(2, "B2")], run: "run_2", full: false))
        #expect(try await listingRows().isEmpty)
        _ = try await store.records.write(page(connection, [client(1, "A"), client(3, "C")], run: "run_3"))
        #expect(try await listingRows() == ["1", "3"])
        #expect(try await finish("run_3") == 1)

        // A listing resumed after its first page (same run): 4, created on that page, is seen by its sequence;
        // 1 and 3, unchanged on the resumed page, by their rows.
        _ = try await store.records.write(page(connection, [client(4, "D")], run: "run_4", checkpoint: "p2"))
        _ = try await store.records.write(page(connection, [client(1, "A"), client(3, "C")], run: "run_4"))
        #expect(try await finish("run_4") == 0)
        #expect(try await liveClients(store, connection) == 3)

        // A listing that delivered nothing saw nothing: every live record is deleted, and loses its row.
        #expect(try await finish("run_5") == 3)
        #expect(try await listingRows().isEmpty)
    }

    /// The store writes hashes of the form its hasher makes into the statement's text; any other text a caller's
    /// hasher gives must be bound, stored exactly and compared exactly.
    static func recordsForeignHash(_ store: SQLStore) async throws {
        let (_, connection) = try await acmeConnection(store)
        let hostile = ContentHasher { _ in "x'); DELETE FROM records; --" }
        func write(_ name: String, hasher: ContentHasher) async throws -> RecordCounts {
            var page = try page(connection, [client(1, "A")])
            page.records = [try IncomingRecord(externalID: "1", raw: client(1, name).1, hasher: hasher)]
            return try await store.records.write(page)
        }
        _ = try await store.records.write(page(connection, [client(2, "B")]))
        #expect(try await write("A", hasher: hostile) == RecordCounts(seen: 1, created: 1))
        // The same text again is unchanged (stored exactly); the store's own hash of it differs, so updated.
        #expect(try await write("A", hasher: hostile) == RecordCounts(seen: 1, unchanged: 1))
        #expect(try await write("A", hasher: .crypto) == RecordCounts(seen: 1, updated: 1))
        #expect(try await write("A", hasher: .portable) == RecordCounts(seen: 1, unchanged: 1))
        #expect(try await liveClients(store, connection) == 2)
    }

    /// A page whose first record is new is first tried as all new; when a later record already exists, the page
    /// falls back to the lookup: counts stay exact, nothing is written twice, and the feed stays gap-free.
    static func recordsMixedPage(_ store: SQLStore) async throws {
        let (tenant, connection) = try await acmeConnection(store)
        #expect(try await store.records.write(page(connection, [client(1, "A"), client(2, "B")])).created == 2)
        let mixed = try await store.records.write(
            page(connection, [client(5, "E"), client(1, "A"), client(2, "B2"), client(6, "F")], run: "run_2")
        )
        #expect(mixed == RecordCounts(seen: 4, created: 2, updated: 1, unchanged: 1))
        let feed = try await store.records.changes(
            tenantID: tenant.id,
            connectionID: connection.id,
            after: 0,
            limit: 100
        )
        #expect(feed.map(\.sequence) == [1, 3, 4, 5])
        #expect(feed.map(\.externalID) == ["1", "5", "2", "6"])
        #expect(feed.first { $0.externalID == "2" }?.raw?.objectValue?["name"] == .string("B2"))
        #expect(try await liveClients(store, connection) == 4)
    }

    static func recordsCheckpointWithPage(_ store: SQLStore) async throws {
        let (tenant, connection) = try await acmeConnection(store)
        _ = try await store.records.write(
            page(connection, [client(1, "A")], checkpoint: "after-page-1", cursor: "2026-01-01")
        )
        let saved = try await store.records.progress(
            tenantID: tenant.id,
            connectionID: connection.id,
            entityType: "clients"
        )
        #expect(saved.checkpoint == "after-page-1")
        #expect(saved.checkpointRunID == "run_1")
        #expect(saved.pendingCursor == "2026-01-01")
        #expect(saved.cursor == nil)

        // A page whose records cannot be stored leaves neither its records nor its checkpoint.
        var broken = try page(connection, [client(2, "B")], checkpoint: "after-page-2")
        broken.connectionID = "con_missing"
        _ = try? await store.records.write(broken)
        let after = try await store.records.progress(
            tenantID: tenant.id,
            connectionID: connection.id,
            entityType: "clients"
        )
        #expect(after.checkpoint == "after-page-1")
        #expect(try await liveClients(store, connection) == 1)
    }

    static func recordsIsolated(_ store: SQLStore) async throws {
        let acme = try await store.tenants.create(name: "Acme")
        let globex = try await store.tenants.create(name: "Globex")
        let connection = makeConnection(tenant: acme)
        try await store.connections.create(connection)
        _ = try await store.records.write(page(connection, [client(1, "A")], checkpoint: "cp"))

        #expect(
            try await store.records.changes(tenantID: globex.id, connectionID: connection.id, after: 0, limit: 10)
                .isEmpty
        )
        #expect(
            try await store.records.count(tenantID: globex.id, connectionID: connection.id, entityType: "clients") == 0
        )
        #expect(
            try await store.records.progress(tenantID: globex.id, connectionID: connection.id, entityType: "clients")
                == ImportProgress()
        )

        // Writing as another tenant into this connection stores nothing and changes nothing.
        var foreign = try page(connection, [client(1, "Hijacked"), client(9, "Z")])
        foreign.tenantID = globex.id
        _ = try? await store.records.write(foreign)
        try await store.records.reset(tenantID: globex.id, connectionID: connection.id, entityType: "clients")
        let feed = try await store.records.changes(tenantID: acme.id, connectionID: connection.id, after: 0, limit: 10)
        #expect(feed.map(\.externalID) == ["1"])
        #expect(feed.first?.raw?.objectValue?["name"] == .string("A"))
        #expect(
            try await store.records.progress(tenantID: acme.id, connectionID: connection.id, entityType: "clients")
                .checkpoint == "cp"
        )
    }

    static func importProgressLifecycle(_ store: SQLStore) async throws {
        let (tenant, connection) = try await acmeConnection(store)
        #expect(
            try await store.records.progress(tenantID: tenant.id, connectionID: connection.id, entityType: "tickets")
                == ImportProgress()
        )

        _ = try await store.records.write(
            page(connection, [client(1, "A")], checkpoint: "cp", cursor: "c1", entity: "tickets")
        )
        try await store.records.complete(
            tenantID: tenant.id,
            connectionID: connection.id,
            entityType: "tickets",
            cursor: "c1"
        )
        #expect(
            try await store.records.progress(tenantID: tenant.id, connectionID: connection.id, entityType: "tickets")
                == ImportProgress(cursor: "c1")
        )
        // Completing without a cursor keeps the one there is.
        try await store.records.complete(
            tenantID: tenant.id,
            connectionID: connection.id,
            entityType: "tickets",
            cursor: nil
        )
        #expect(
            try await store.records.progress(tenantID: tenant.id, connectionID: connection.id, entityType: "tickets")
                .cursor == "c1"
        )

        try await store.records.reset(tenantID: tenant.id, connectionID: connection.id, entityType: "tickets")
        #expect(
            try await store.records.progress(tenantID: tenant.id, connectionID: connection.id, entityType: "tickets")
                == ImportProgress()
        )
    }

    static func runsRoundTrip(_ store: SQLStore) async throws {
        let tenant = try await store.tenants.create(name: "Acme")
        let globex = try await store.tenants.create(name: "Globex")
        let connection = makeConnection(tenant: tenant)
        try await store.connections.create(connection)

        let older = SyncRun(
            id: "run_a",
            tenantID: tenant.id,
            connectionID: connection.id,
            entityType: "clients",
            trigger: .schedule,
            startedAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
        try await store.runs.start(older)
        var newer = SyncRun(
            id: "run_b",
            tenantID: tenant.id,
            connectionID: connection.id,
            entityType: "timesheets",
            trigger: .manual,
            parameters: ["start_date": .string("2026-01-01")],
            jobID: "job_1",
            startedAt: Date(timeIntervalSince1970: 1_800_000_100)
        )
        try await store.runs.start(newer)
        newer.status = .failed
        newer.finishedAt = Date(timeIntervalSince1970: 1_800_000_103.25)
        newer.pages = 3
        newer.requests = 5
        newer.retries = 2
        newer.rateLimitWaitMilliseconds = 1500
        newer.counts = RecordCounts(
            seen: 10,
            created: 4,
            updated: 3,
            unchanged: 1,
            deleted: 1,
            failed: 150,
            warnings: 2
        )
        newer.error = "the provider answered 500"
        newer.errorClass = "retryable"
        newer.resumed = true
        let failures = (1...150).map { RecordFailure(externalID: "\($0)", error: "no id") }
        try await store.runs.finish(newer, failures: failures)

        let listed = try await store.runs.list(tenantID: tenant.id, connectionID: connection.id, limit: 10)
        #expect(listed.map(\.id) == ["run_b", "run_a"])
        #expect(listed.first == newer)
        #expect(listed.first?.durationMilliseconds == 3250)
        #expect(listed.last?.status == .running)
        let kept = try await store.runs.failures(tenantID: tenant.id, runID: "run_b")
        #expect(kept.count == SQLRunStore.failureLimit)
        #expect(kept.first == failures.first)

        #expect(try await store.runs.list(tenantID: globex.id, connectionID: connection.id, limit: 10).isEmpty)
        #expect(try await store.runs.failures(tenantID: globex.id, runID: "run_b").isEmpty)
    }
}
