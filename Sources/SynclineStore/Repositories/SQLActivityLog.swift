import Foundation
import SQLKit
import SynclineCore

/// The audit trail in `activity`, newest first by its time-ordered id.
public struct SQLActivityLog: ActivityLog {
    let database: Database

    private struct Row: Decodable {
        var id: String
        var tenantId: String
        var connectionId: String?
        var actor: String
        var action: String
        var details: String
        var createdAt: Int64

        func entry() throws -> ActivityEntry {
            ActivityEntry(
                id: id,
                tenantID: tenantId,
                connectionID: connectionId,
                actor: actor,
                action: action,
                details: try JSONValue.parse(details).objectValue ?? [:],
                createdAt: Timestamp.date(createdAt)
            )
        }
    }

    public func record(_ entry: ActivityEntry) async throws {
        let details = try JSONValue.object(entry.details).jsonString()
        try await database.withConnection { db in
            try await db.insert(into: "activity")
                .columns("id", "tenant_id", "connection_id", "actor", "action", "details", "created_at")
                .values(
                    SQLBind(entry.id),
                    SQLBind(entry.tenantID),
                    SQLBind(entry.connectionID),
                    SQLBind(entry.actor),
                    SQLBind(entry.action),
                    SQLBind(details),
                    SQLBind(Timestamp.millis(entry.createdAt))
                )
                .run()
        }
    }

    public func list(tenantID: String, connectionID: String?, limit: Int) async throws -> [ActivityEntry] {
        try await database.withConnection { db in
            let query = db.select()
                .columns("id", "tenant_id", "connection_id", "actor", "action", "details", "created_at")
                .from("activity")
                .where("tenant_id", .equal, tenantID)
            if let connectionID { query.where("connection_id", .equal, connectionID) }
            return try await query.orderBy("id", .descending)
                .limit(max(1, min(limit, 1000)))
                .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
                .map { try $0.entry() }
        }
    }
}
