import Foundation
import SQLKit
import SynclineCore

/// Reads of stored records for the records API, and re-mapping for a changed mapping.
extension SQLRecordStore: RecordQueries {
    private struct Row: Decodable {
        var connectionId: String
        var seq: Int64
        var createdSeq: Int64
        var deleted: Int
        var entityType: String
        var externalId: String
        var raw: String
        var mapped: String?
        var updatedAt: Int64

        func change() throws -> RecordChange {
            let kind: RecordChange.Kind = deleted != 0 ? .deleted : (createdSeq == seq ? .created : .updated)
            return RecordChange(
                sequence: seq,
                kind: kind,
                entityType: entityType,
                externalID: externalId,
                raw: kind == .deleted ? nil : try JSONValue.parse(raw),
                mapped: kind == .deleted ? nil : try mapped.map { try JSONValue.parse($0) },
                changedAt: Timestamp.date(updatedAt)
            )
        }
    }

    private static let rowColumns = [
        "connection_id", "seq", "created_seq", "deleted", "entity_type", "external_id", "raw", "mapped", "updated_at",
    ].map { SQLIdentifier($0) }

    public func records(
        tenantID: String,
        connectionID: String,
        entityType: String,
        after sequence: Int64,
        limit: Int
    ) async throws -> [RecordChange] {
        try await feed(tenantID, connectionID, entityType, after: sequence, limit: limit, live: true, maximum: 1000)
    }

    public func changes(
        tenantID: String,
        connectionID: String,
        entityType: String,
        after sequence: Int64,
        limit: Int
    ) async throws -> [RecordChange] {
        try await feed(tenantID, connectionID, entityType, after: sequence, limit: limit, live: false, maximum: 1000)
    }

    /// A connection's records in change order after `sequence`: of one entity type or all, live only or with
    /// deletions.
    func feed(
        _ tenantID: String,
        _ connectionID: String,
        _ entityType: String?,
        after sequence: Int64,
        limit: Int,
        live: Bool,
        maximum: Int
    ) async throws -> [RecordChange] {
        try await database.withConnection { db in
            let query = db.select().columns(Self.rowColumns).from("records")
                .where("connection_id", .equal, connectionID)
                .where("tenant_id", .equal, tenantID)
                .where("seq", .greaterThan, sequence)
            if let entityType { query.where("entity_type", .equal, entityType) }
            if live { query.where("deleted", .equal, 0) }
            return try await query.orderBy("seq").limit(max(1, min(limit, maximum)))
                .all(decoding: Row.self, with: Self.decoder)
                .map { try $0.change() }
        }
    }

    public func records(
        tenantID: String,
        model: String,
        after: (connectionID: String, sequence: Int64)?,
        limit: Int
    ) async throws -> [ModelRecord] {
        let rows = try await database.withConnection { db in
            let query = db.select().columns(Self.rowColumns).from("records")
                .where("tenant_id", .equal, tenantID)
                .where("model", .equal, model)
                .where("deleted", .equal, 0)
                // A record its mapping failed on is kept raw only: it is not (yet) a record of the model.
                .where("mapped", .isNot, SQLLiteral.null)
            if let after {
                query.where(group: { group in
                    group.where("connection_id", .greaterThan, after.connectionID)
                        .orWhere(group: { inner in
                            inner.where("connection_id", .equal, after.connectionID)
                                .where("seq", .greaterThan, after.sequence)
                        })
                })
            }
            return try await query.orderBy("connection_id").orderBy("seq").limit(max(1, min(limit, 1000)))
                .all(decoding: Row.self, with: Self.decoder)
        }
        return try rows.map { row in
            ModelRecord(
                connectionID: row.connectionId,
                entityType: row.entityType,
                externalID: row.externalId,
                sequence: row.seq,
                mapped: try row.mapped.map { try JSONValue.parse($0) },
                raw: try JSONValue.parse(row.raw),
                updatedAt: Timestamp.date(row.updatedAt)
            )
        }
    }

    public func remap(
        tenantID: String,
        connectionID: String,
        entityType: String,
        model: String,
        after externalID: String?,
        limit: Int,
        _ mapper: @Sendable (JSONValue) -> Remapped
    ) async throws -> RemapBatch {
        struct Stored: Decodable {
            var externalId: String
            var raw: String
            var mapped: String?
            var model: String?
        }
        let stamp = Timestamp.millis(now())
        return try await database.transaction { db in
            let owned =
                try await db.select().column("id").from("connections")
                .where("id", .equal, connectionID)
                .where("tenant_id", .equal, tenantID)
                .first() != nil
            guard owned else { throw StoreError(.notFound, "connection \(connectionID) not found") }
            let query = db.select().columns("external_id", "raw", "mapped", "model").from("records")
                .where("connection_id", .equal, connectionID)
                .where("entity_type", .equal, entityType)
                .where("deleted", .equal, 0)
            if let externalID { query.where("external_id", .greaterThan, externalID) }
            let rows = try await query.orderBy("external_id").limit(max(1, limit))
                .all(decoding: Stored.self, with: Self.decoder)
            var sequence =
                try await db.select().column("last_seq").from("record_sequences")
                .where("connection_id", .equal, connectionID)
                .first()?.decode(column: "last_seq", as: Int64.self) ?? 0
            let start = sequence
            var changed = 0
            var failed = 0
            for row in rows {
                let outcome = mapper(try JSONValue.parse(row.raw))
                if outcome.mapped == nil { failed += 1 }
                let mapped = try outcome.mapped?.jsonString()
                guard mapped != row.mapped || row.model != model else { continue }
                let content = RecordContent(storedRaw: row.raw, mapped: mapped, hasher: contentHasher)
                sequence += 1
                changed += 1
                try await db.update("records")
                    .set("mapped", to: mapped)
                    .set("model", to: model)
                    .set("content_hash", to: content.hash)
                    .set("seq", to: sequence)
                    .set("updated_at", to: stamp)
                    .where("connection_id", .equal, connectionID)
                    .where("entity_type", .equal, entityType)
                    .where("external_id", .equal, row.externalId)
                    .run()
            }
            if sequence != start {
                try await db.insert(into: "record_sequences")
                    .columns("connection_id", "last_seq")
                    .values(SQLBind(connectionID), SQLBind(sequence))
                    .onConflict(with: ["connection_id"]) { $0.set(excludedValueOf: "last_seq") }
                    .run()
            }
            return RemapBatch(
                processed: rows.count,
                changed: changed,
                failed: failed,
                next: rows.count < limit ? nil : rows.last?.externalId
            )
        }
    }
}
