import Foundation
import SQLKit
import SynclineCore

/// Imported records in `records`, with a per-connection change sequence in `record_sequences`. A page is one
/// transaction: the records, the sequence and the listing's checkpoint commit together or not at all.
public struct SQLRecordStore: RecordStore, ImportProgressStore {
    let database: Database
    let now: @Sendable () -> Date
    let statistics = StatisticsRefresh()

    init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    /// What the store holds of a record a page lists again: enough to tell unchanged from updated or revived.
    private struct Existing {
        var contentHash: String
        var deleted: Bool
    }

    public func write(_ page: PageWrite) async throws -> RecordCounts {
        // The records' text and hashes were made with them (`IncomingRecord.content`), outside this transaction,
        // which holds SQLite's single writer. A page that lists one id twice keeps the last; a page without
        // repeats (nearly every one) is used as it is, not copied record by record.
        var latest: [String: Int] = [:]
        latest.reserveCapacity(page.records.count)
        for (index, record) in page.records.enumerated() { latest[record.externalID] = index }
        var records = page.records
        if latest.count != page.records.count {
            records = page.records.indices.filter { latest[page.records[$0].externalID] == $0 }.map {
                page.records[$0]
            }
        }
        let stamp = Timestamp.millis(now())
        let dialect = database.dialect
        let counts = try await database.transaction { db in
            // The upsert below is keyed by connection, not tenant: refuse first a connection of another tenant,
            // so a caller with a wrong tenant can neither overwrite nor add records there.
            try await Self.requireConnection(db, id: page.connectionID, tenantID: page.tenantID)
            let startSequence = try await Self.lastSequence(db, connectionID: page.connectionID)
            let counts: RecordCounts
            if let stored = try await Self.storeAsNew(db, page, records, after: startSequence, stamp: stamp, dialect) {
                counts = stored
            } else {
                counts = try await Self.storeByLookup(db, page, records, after: startSequence, stamp: stamp, dialect)
            }
            // Every record stored took the next sequence number.
            let stored = Int64(counts.created + counts.updated)
            if stored > 0 {
                try await Self.saveSequence(db, connectionID: page.connectionID, startSequence + stored)
            }
            try await ensureSync(db, tenantID: page.tenantID, connectionID: page.connectionID, entity: page.entityType)
            var update = db.update("syncs")
                .set("checkpoint", to: page.checkpoint)
                .set("checkpoint_run_id", to: page.checkpoint == nil ? nil : page.runID)
                .set("pending_cursor", to: page.cursorSeen)
                .set("updated_at", to: stamp)
            if page.fullSync {
                // The listing's first page records where it starts; its later pages (and a resumed attempt) keep
                // it. The CASE reads the row as it was before this update, on both databases.
                update =
                    update
                    .set(
                        "listing_seq",
                        to: SQLQueryString(
                            "CASE WHEN listing_run_id = \(bind: page.runID) THEN listing_seq ELSE \(bind: startSequence) END"
                        )
                    )
                    .set("listing_run_id", to: page.runID)
            }
            try await update
                .where("connection_id", .equal, page.connectionID)
                .where("tenant_id", .equal, page.tenantID)
                .where("entity_type", .equal, page.entityType)
                .run()
            return counts
        }
        let refresh = database.dialect.refreshStatistics(["records", "record_listings"])
        if !refresh.isEmpty, statistics.record(created: counts.created) {
            try await database.withConnection { db in
                for statement in refresh { try await db.raw(SQLQueryString(statement)).run() }
            }
        }
        return counts
    }

    public func finishFullSync(
        tenantID: String,
        connectionID: String,
        entityType: String,
        runID: String
    ) async throws -> Int {
        let stamp = Timestamp.millis(now())
        return try await database.transaction { db in
            try await Self.requireConnection(db, id: connectionID, tenantID: tenantID)
            // Where the listing started: records it stored since have a later sequence. A listing that wrote no
            // page saw nothing, so everything stored before now is a candidate.
            struct Start: Decodable { var listingSeq: Int64? }
            let start =
                try await db.select().column("listing_seq").from("syncs")
                .where("connection_id", .equal, connectionID)
                .where("tenant_id", .equal, tenantID)
                .where("entity_type", .equal, entityType)
                .where("listing_run_id", .equal, runID)
                .first(decoding: Start.self, with: Self.decoder)?.listingSeq
            var before = try await Self.lastSequence(db, connectionID: connectionID)
            if let start { before = start }
            // The live records the listing did not see: stored before it started, and not marked by it as unchanged.
            struct Gone: Decodable {
                var externalId: String
                var createdSeq: Int64
            }
            var gone = try await db.raw(
                """
                SELECT external_id, created_seq FROM records \
                WHERE connection_id = \(bind: connectionID) AND entity_type = \(bind: entityType) AND deleted = 0 \
                AND seq <= \(bind: before) AND NOT EXISTS (SELECT 1 FROM record_listings \
                WHERE record_listings.connection_id = records.connection_id \
                AND record_listings.entity_type = records.entity_type \
                AND record_listings.external_id = records.external_id AND record_listings.seen_run = \(bind: runID))
                """
            ).all(decoding: Gone.self, with: Self.decoder)
            // In the order they were first stored, so the change feed lists deletions the way it listed creations.
            gone.sort { $0.createdSeq < $1.createdSeq }
            // A deleted record keeps no listing row: a listing that lists it again stores it as revived.
            for chunk in Self.chunks(gone.map(\.externalId), of: 500) {
                try await db.delete(from: "record_listings")
                    .where("connection_id", .equal, connectionID)
                    .where("entity_type", .equal, entityType)
                    .where("external_id", .in, Array(chunk))
                    .run()
            }
            guard !gone.isEmpty else { return 0 }
            var sequence = try await Self.lastSequence(db, connectionID: connectionID)
            for record in gone {
                sequence += 1
                try await db.update("records")
                    .set("deleted", to: 1)
                    .set("seq", to: sequence)
                    .set("updated_at", to: stamp)
                    .where("connection_id", .equal, connectionID)
                    .where("entity_type", .equal, entityType)
                    .where("external_id", .equal, record.externalId)
                    .run()
            }
            try await Self.saveSequence(db, connectionID: connectionID, sequence)
            return gone.count
        }
    }

    public func changes(
        tenantID: String,
        connectionID: String,
        after sequence: Int64,
        limit: Int
    ) async throws -> [RecordChange] {
        try await feed(tenantID, connectionID, nil, after: sequence, limit: limit, live: false, maximum: 10_000)
    }

    public func count(tenantID: String, connectionID: String, entityType: String) async throws -> Int {
        struct Row: Decodable { var count: Int }
        return try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                .from("records")
                .where("connection_id", .equal, connectionID)
                .where("tenant_id", .equal, tenantID)
                .where("entity_type", .equal, entityType)
                .where("deleted", .equal, 0)
                .first(decoding: Row.self)?.count ?? 0
        }
    }

    // MARK: import progress (kept on the sync row)

    public func progress(tenantID: String, connectionID: String, entityType: String) async throws -> ImportProgress {
        struct Row: Decodable {
            var cursor: String?
            var checkpoint: String?
            var checkpointRunId: String?
            var pendingCursor: String?
        }
        let row = try await database.withConnection { db in
            try await db.select().columns("cursor", "checkpoint", "checkpoint_run_id", "pending_cursor")
                .from("syncs")
                .where("connection_id", .equal, connectionID)
                .where("tenant_id", .equal, tenantID)
                .where("entity_type", .equal, entityType)
                .first(decoding: Row.self, with: Self.decoder)
        }
        guard let row else { return ImportProgress() }
        return ImportProgress(
            cursor: row.cursor,
            checkpoint: row.checkpoint,
            checkpointRunID: row.checkpointRunId,
            pendingCursor: row.pendingCursor
        )
    }

    public func complete(tenantID: String, connectionID: String, entityType: String, cursor: String?) async throws {
        try await database.transaction { db in
            try await ensureSync(db, tenantID: tenantID, connectionID: connectionID, entity: entityType)
            var update = db.update("syncs")
                .set("checkpoint", to: String?.none)
                .set("checkpoint_run_id", to: String?.none)
                .set("pending_cursor", to: String?.none)
                .set("updated_at", to: Timestamp.millis(now()))
            if let cursor { update = update.set("cursor", to: cursor) }
            try await update
                .where("connection_id", .equal, connectionID)
                .where("tenant_id", .equal, tenantID)
                .where("entity_type", .equal, entityType)
                .run()
        }
    }

    public func reset(tenantID: String, connectionID: String, entityType: String) async throws {
        try await database.withConnection { db in
            try await db.update("syncs")
                .set("cursor", to: String?.none)
                .set("checkpoint", to: String?.none)
                .set("checkpoint_run_id", to: String?.none)
                .set("pending_cursor", to: String?.none)
                .set("updated_at", to: Timestamp.millis(now()))
                .where("connection_id", .equal, connectionID)
                .where("tenant_id", .equal, tenantID)
                .where("entity_type", .equal, entityType)
                .run()
        }
    }

    // MARK: helpers

    static let decoder = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)

    /// Creates the sync row of (connection, entity type) if there is none, so progress always has a home.
    /// The connection must belong to `tenantID`: the insert selects it by both.
    private func ensureSync(_ db: any SQLDatabase, tenantID: String, connectionID: String, entity: String) async throws
    {
        let stamp = Timestamp.millis(now())
        try await db.raw(
            """
            INSERT INTO syncs (id, tenant_id, connection_id, entity_type, created_at, updated_at)
            SELECT \(bind: Identifier.make(prefix: "syn")), tenant_id, id, \(bind: entity), \(bind: stamp), \(bind: stamp)
            FROM connections WHERE id = \(bind: connectionID) AND tenant_id = \(bind: tenantID)
            ON CONFLICT (connection_id, entity_type) DO NOTHING
            """
        ).run()
    }

    private static func requireConnection(_ db: any SQLDatabase, id: String, tenantID: String) async throws {
        struct Row: Decodable { var id: String }
        let row = try await db.select().column("id").from("connections")
            .where("id", .equal, id)
            .where("tenant_id", .equal, tenantID)
            .first(decoding: Row.self)
        guard row != nil else { throw StoreError(.notFound, "connection \(id) not found") }
    }

    private static func lastSequence(_ db: any SQLDatabase, connectionID: String) async throws -> Int64 {
        struct Row: Decodable { var lastSeq: Int64 }
        return try await db.select().column("last_seq").from("record_sequences")
            .where("connection_id", .equal, connectionID)
            .first(decoding: Row.self, with: decoder)?.lastSeq ?? 0
    }

    private static func saveSequence(_ db: any SQLDatabase, connectionID: String, _ value: Int64) async throws {
        try await db.insert(into: "record_sequences")
            .columns("connection_id", "last_seq")
            .values(SQLBind(connectionID), SQLBind(value))
            .onConflict(with: ["connection_id"]) { $0.set(excludedValueOf: "last_seq") }
            .run()
    }

    /// A page of records the entity type does not hold yet (every page of a first import), stored without a
    /// lookup: the insert leaves existing rows alone and counts the rows it added; when it did not add them all,
    /// the page goes back to its savepoint and nil says to take the lookup. Whether to try is decided by one
    /// primary-key probe for the page's first record, so a page of known records does not insert twice.
    private static func storeAsNew(
        _ db: any SQLDatabase,
        _ page: PageWrite,
        _ records: [IncomingRecord],
        after sequence: Int64,
        stamp: Int64,
        _ dialect: DatabaseDialect
    ) async throws -> RecordCounts? {
        guard let first = records.first, !(try await holds(db, page, first.externalID)) else { return nil }
        try await db.raw("SAVEPOINT new_records").run()
        let added = try await insert(
            db,
            page,
            records,
            positions: Array(records.indices),
            after: sequence,
            stamp: stamp,
            dialect: dialect,
            onConflict: "ON CONFLICT (connection_id, entity_type, external_id) DO NOTHING",
            countingInserted: true
        )
        if added != records.count { try await db.raw("ROLLBACK TO SAVEPOINT new_records").run() }
        try await db.raw("RELEASE SAVEPOINT new_records").run()
        return added == records.count ? RecordCounts(seen: records.count, created: records.count) : nil
    }

    /// A page stored after looking up which of its records exist: new and changed ones upserted with the next
    /// sequence numbers, unchanged ones left alone (and, on a full listing, marked as seen in `record_listings`).
    private static func storeByLookup(
        _ db: any SQLDatabase,
        _ page: PageWrite,
        _ records: [IncomingRecord],
        after sequence: Int64,
        stamp: Int64,
        _ dialect: DatabaseDialect
    ) async throws -> RecordCounts {
        var counts = RecordCounts(seen: records.count)
        var existing: [String: Existing] = [:]
        existing.reserveCapacity(records.count)
        for chunk in chunks(records, of: 1000) {
            // By the primary key alone: the connection was checked to be the tenant's, and naming the tenant here
            // lets SQLite's planner pick an index on the tenant and scan every record. Written as text with its
            // binds, like the page's insert: built through SQLKit's expression tree, a page's lookup cost more
            // than SQLite's own work on it.
            var lookup = BoundStatement(
                sql: "SELECT external_id, content_hash, deleted FROM records WHERE connection_id = "
                    + dialect.placeholder(1) + " AND entity_type = " + dialect.placeholder(2) + " AND external_id IN (",
                binds: [page.connectionID, page.entityType]
            )
            lookup.sql.reserveCapacity(lookup.sql.utf8.count + chunk.count * 8)
            for (index, record) in chunk.enumerated() {
                if index > 0 { lookup.sql += ", " }
                lookup.appendBind(record.externalID, dialect: dialect)
            }
            lookup.sql += ")"
            // By column: `Decodable` rows cost more than the lookup itself.
            for row in try await db.raw("\(lookup)").all() {
                existing[try row.decode(column: "external_id", as: String.self)] = Existing(
                    contentHash: try row.decode(column: "content_hash", as: String.self),
                    deleted: try row.decode(column: "deleted", as: Int.self) != 0
                )
            }
        }
        // Positions in `records`, not copies: copying a record retains and releases each of its strings.
        var changed: [Int] = []
        var unchanged: [String] = []
        for position in records.indices {
            let before = existing[records[position].externalID]
            if let before, !before.deleted, before.contentHash == records[position].content.hash {
                counts.unchanged += 1
                if page.fullSync { unchanged.append(records[position].externalID) }
                continue
            }
            if before == nil { counts.created += 1 } else { counts.updated += 1 }
            changed.append(position)
        }
        try await insert(
            db,
            page,
            records,
            positions: changed,
            after: sequence,
            stamp: stamp,
            dialect: dialect,
            onConflict: upsertTail
        )
        // A full listing marks the records it finds unchanged with a listing row naming its run; those it stores
        // are marked by their sequence, later than the listing's start (see `finishFullSync`).
        for chunk in chunks(unchanged, of: 1000) {
            var insert = RowsInsert(
                "INSERT INTO record_listings (connection_id, entity_type, external_id, seen_run)",
                select: { constants, column in [constants[0], constants[1], column(1), constants[2]] },
                dialect: dialect,
                constants: [page.connectionID, page.entityType, page.runID],
                capacity: chunk.count
            )
            for id in chunk {
                insert.startRow()
                insert.bind(id)
                insert.endRow()
            }
            insert.finish(
                "ON CONFLICT (connection_id, entity_type, external_id) DO UPDATE SET seen_run = excluded.seen_run"
            )
            try await db.execute(sql: insert.statement) { _ in }
        }
        return counts
    }

    /// What the upsert sets when a record exists.
    static let upsertTail = """
        ON CONFLICT (connection_id, entity_type, external_id) DO UPDATE SET \
        content_hash = excluded.content_hash, raw = excluded.raw, mapped = excluded.mapped, \
        seq = excluded.seq, deleted = excluded.deleted, updated_at = excluded.updated_at, \
        model = excluded.model
        """

    /// Inserts `records` at `positions` with sequence numbers from `sequence + 1`, in statements of 500 rows
    /// ending in `onConflict`; with `countingInserted`, returns how many rows were inserted (0 otherwise).
    @discardableResult
    private static func insert(
        _ db: any SQLDatabase,
        _ page: PageWrite,
        _ records: [IncomingRecord],
        positions: [Int],
        after sequence: Int64,
        stamp: Int64,
        dialect: DatabaseDialect,
        onConflict: String,
        countingInserted: Bool = false
    ) async throws -> Int {
        var sequence = sequence
        var returned = 0
        for rows in chunks(positions, of: 500) {
            var insert = RowsInsert(
                "INSERT INTO records (tenant_id, connection_id, entity_type, external_id, content_hash, raw, mapped, "
                    + "seq, created_seq, deleted, created_at, updated_at, model)",
                // Each row: external id, content hash, raw, mapped, sequence (`seq` and `created_seq` start equal).
                select: { constants, column in
                    [
                        constants[0], constants[1], constants[2], column(1), column(2), column(3), column(4),
                        column(5), column(5), "0", constants[3], constants[3], constants[4],
                    ]
                },
                dialect: dialect,
                constants: [page.tenantID, page.connectionID, page.entityType, stamp, page.model],
                capacity: rows.count
            )
            for position in rows {
                sequence += 1
                let content = records[position].content
                insert.startRow()
                insert.bind(records[position].externalID)
                // Values this store made itself are written into the text, not bound: a bind costs a
                // conversion through the driver's `Encodable` path, which showed in the import's profile.
                // The hash only when it is what a content hasher must give (64 lowercase hex digits), so
                // nothing a caller supplies can reach the text.
                if Self.isContentHash(content.hash) {
                    insert.text("'" + content.hash + "'")
                } else {
                    insert.bind(content.hash)
                }
                insert.bind(content.raw)
                // A literal NULL rather than a bound `String?`: the drivers convert an `Optional` through a
                // generic `Encoder` of their own, a class allocated per value.
                if let mapped = content.mapped { insert.bind(mapped) } else { insert.text("NULL") }
                insert.text(String(sequence))
                insert.endRow()
            }
            guard countingInserted else {
                insert.finish(onConflict)
                try await db.raw("\(insert.statement)").run()
                continue
            }
            switch dialect {
            case .sqlite:
                // SQLite counts the rows the statement inserted: returning and decoding a row per record to count
                // them was a cost on the writer's path, which an import waits for.
                insert.finish(onConflict)
                try await db.raw("\(insert.statement)").run()
                struct Changes: Decodable { var inserted: Int }
                let changes = try await db.raw("SELECT changes() AS inserted").first(decoding: Changes.self)
                returned += changes?.inserted ?? 0
            case .postgresql:
                insert.finish(onConflict + " RETURNING seq")
                returned += try await db.raw("\(insert.statement)").all().count
            }
        }
        return returned
    }

    /// Whether the entity type holds a record (live or deleted) with `externalID`.
    private static func holds(_ db: any SQLDatabase, _ page: PageWrite, _ externalID: String) async throws -> Bool {
        struct Row: Decodable { var one: Int }
        return try await db.raw(
            """
            SELECT 1 AS one FROM records WHERE connection_id = \(bind: page.connectionID) \
            AND entity_type = \(bind: page.entityType) AND external_id = \(bind: externalID)
            """
        ).first(decoding: Row.self) != nil
    }

    /// Whether `text` is 64 lowercase hex digits, the only form a content hash may be written into SQL in.
    static func isContentHash(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            bytes.count == 64 && bytes.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        }
    }

    static func chunks<T>(_ items: [T], of size: Int) -> [ArraySlice<T>] {
        stride(from: 0, to: items.count, by: size).map { items[$0..<min($0 + size, items.count)] }
    }
}
