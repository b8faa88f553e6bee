import Foundation
import SQLKit
import SynclineCore

/// Sync definitions in `syncs`, the same rows that hold each import's cursor and checkpoint (`SQLRecordStore`).
/// A schedule is stored as `interval_minutes`, or `cron` + `time_zone`, or neither (manual).
public struct SQLSyncStore: SyncStore {
    let database: Database
    let now: @Sendable () -> Date

    init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    struct Row: Decodable {
        var id: String
        var tenantId: String
        var connectionId: String
        var entityType: String
        var direction: String
        var enabled: Int
        var intervalMinutes: Int?
        var cron: String?
        var timeZone: String?
        var jitterSeconds: Int
        var parameters: String
        var nextRunAt: Int64?
        var lastRunAt: Int64?
        var lastStatus: String?
        var consecutiveFailures: Int

        func sync() throws -> SyncDefinition {
            let schedule: Schedule
            if let intervalMinutes {
                schedule = .interval(minutes: intervalMinutes)
            } else if let cron {
                schedule = .cron(expression: cron, timeZone: timeZone ?? "UTC")
            } else {
                schedule = .manual
            }
            var values: [String: String] = [:]
            for (key, value) in try JSONValue.parse(parameters).objectValue ?? [:] {
                if case .string(let text) = value { values[key] = text }
            }
            return SyncDefinition(
                id: id,
                tenantID: tenantId,
                connectionID: connectionId,
                entityType: entityType,
                direction: SyncDirection(rawValue: direction) ?? .import,
                enabled: enabled != 0,
                schedule: schedule,
                jitterSeconds: jitterSeconds,
                parameters: values,
                nextRunAt: Timestamp.date(nextRunAt),
                lastRunAt: Timestamp.date(lastRunAt),
                lastStatus: lastStatus.flatMap(RunStatus.init(rawValue:)),
                consecutiveFailures: consecutiveFailures
            )
        }
    }

    static let columns = [
        "id", "tenant_id", "connection_id", "entity_type", "direction", "enabled", "interval_minutes", "cron",
        "time_zone", "jitter_seconds", "parameters", "next_run_at", "last_run_at", "last_status",
        "consecutive_failures",
    ]

    static func scheduleColumns(_ schedule: Schedule) -> (interval: Int?, cron: String?, zone: String?) {
        switch schedule {
        case .interval(let minutes): (minutes, nil, nil)
        case .cron(let expression, let zone): (nil, expression, zone)
        case .manual: (nil, nil, nil)
        }
    }

    public func ensure(
        tenantID: String,
        connectionID: String,
        defaults: [SyncDefault],
        jitterSeconds: Int,
        now: Date
    ) async throws -> [SyncDefinition] {
        let stamp = Timestamp.millis(now)
        try await database.transaction { db in
            for item in defaults {
                let columns = Self.scheduleColumns(item.schedule)
                let due: Int64? = item.schedule == .manual ? nil : stamp
                // Casts type the NULLs a manual schedule binds (PostgreSQL cannot infer them in a SELECT list).
                // A row the import created on its own (to hold a cursor) is not yet configured: fill it in.
                try await db.raw(
                    """
                    INSERT INTO syncs (id, tenant_id, connection_id, entity_type, interval_minutes, cron, time_zone,
                        jitter_seconds, next_run_at, configured, created_at, updated_at)
                    SELECT \(bind: Identifier.make(prefix: "syn")), tenant_id, id, \(bind: item.entityType),
                        CAST(\(bind: columns.interval) AS INTEGER), CAST(\(bind: columns.cron) AS TEXT),
                        CAST(\(bind: columns.zone) AS TEXT), \(bind: jitterSeconds), CAST(\(bind: due) AS BIGINT), 1,
                        \(bind: stamp), \(bind: stamp)
                    FROM connections WHERE id = \(bind: connectionID) AND tenant_id = \(bind: tenantID)
                    ON CONFLICT (connection_id, entity_type) DO UPDATE SET
                        interval_minutes = excluded.interval_minutes, cron = excluded.cron,
                        time_zone = excluded.time_zone, jitter_seconds = excluded.jitter_seconds,
                        next_run_at = excluded.next_run_at, configured = 1, updated_at = excluded.updated_at
                    WHERE syncs.configured = 0
                    """
                ).run()
            }
        }
        return try await list(tenantID: tenantID, connectionID: connectionID)
    }

    public func list(tenantID: String, connectionID: String) async throws -> [SyncDefinition] {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns.map { SQLColumn($0) }).from("syncs")
                .where("tenant_id", .equal, tenantID)
                .where("connection_id", .equal, connectionID)
                .orderBy("entity_type")
                .all(decoding: Row.self, with: SQLRecordStore.decoder)
                .map { try $0.sync() }
        }
    }

    public func find(tenantID: String, connectionID: String, entityType: String) async throws -> SyncDefinition? {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns.map { SQLColumn($0) }).from("syncs")
                .where("tenant_id", .equal, tenantID)
                .where("connection_id", .equal, connectionID)
                .where("entity_type", .equal, entityType)
                .first(decoding: Row.self, with: SQLRecordStore.decoder)?
                .sync()
        }
    }

    public func update(_ sync: SyncDefinition) async throws {
        let columns = Self.scheduleColumns(sync.schedule)
        let parameters = try JSONValue.object(sync.parameters.mapValues { .string($0) }).jsonString()
        let updated = try await database.withConnection { db in
            try await db.update("syncs")
                .set("direction", to: sync.direction.rawValue)
                .set("enabled", to: sync.enabled ? 1 : 0)
                .set("interval_minutes", to: columns.interval)
                .set("cron", to: columns.cron)
                .set("time_zone", to: columns.zone)
                .set("jitter_seconds", to: sync.jitterSeconds)
                .set("parameters", to: parameters)
                .set("next_run_at", to: Timestamp.millis(sync.nextRunAt))
                .set("configured", to: 1)
                .set("updated_at", to: Timestamp.millis(now()))
                .where("id", .equal, sync.id)
                .where("tenant_id", .equal, sync.tenantID)
                .returning("id")
                .first() != nil
        }
        guard updated else { throw StoreError(.notFound, "sync \(sync.entityType) not found") }
    }

    public func due(now: Date, limit: Int) async throws -> [SyncDefinition] {
        let stamp = Timestamp.millis(now)
        let selected = Self.columns.map { "s.\($0)" }.joined(separator: ", ")
        return try await database.withConnection { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: selected) FROM syncs s JOIN connections c ON c.id = s.connection_id
                WHERE s.enabled = 1 AND s.next_run_at IS NOT NULL AND s.next_run_at <= \(bind: stamp)
                    AND (c.status = 'active' OR (c.status = 'error' AND c.circuit_probe_at <= \(bind: stamp)))
                ORDER BY s.next_run_at, s.id
                LIMIT \(bind: max(1, limit))
                """
            ).all(decoding: Row.self, with: SQLRecordStore.decoder).map { try $0.sync() }
        }
    }

    public func unscheduledActiveConnections(limit: Int) async throws -> [Connection] {
        struct Row: Decodable { var id: String, tenantId: String }
        let rows = try await database.withConnection { db in
            try await db.raw(
                """
                SELECT c.id, c.tenant_id FROM connections c
                WHERE c.status = 'active'
                    AND NOT EXISTS (SELECT 1 FROM syncs s WHERE s.connection_id = c.id AND s.configured = 1)
                ORDER BY c.created_at, c.id
                LIMIT \(bind: max(1, limit))
                """
            ).all(decoding: Row.self, with: SQLRecordStore.decoder)
        }
        let connections = SQLConnectionStore(database: database)
        var found: [Connection] = []
        for row in rows {
            if let connection = try await connections.find(id: row.id, tenantID: row.tenantId) {
                found.append(connection)
            }
        }
        return found
    }

    public func advance(id: String, from expected: Date?, to next: Date?) async throws -> Bool {
        try await database.withConnection { db in
            var update = db.update("syncs")
                .set("next_run_at", to: Timestamp.millis(next))
                .set("updated_at", to: Timestamp.millis(now()))
                .where("id", .equal, id)
            if let expected {
                update = update.where("next_run_at", .equal, Timestamp.millis(expected))
            } else {
                update = update.where("next_run_at", .is, SQLLiteral.null)
            }
            return try await update.returning("id").first() != nil
        }
    }

    public func recordOutcome(
        tenantID: String,
        connectionID: String,
        entityType: String,
        status: RunStatus,
        at: Date
    ) async throws -> SyncDefinition? {
        let failures = status == .failed ? "consecutive_failures + 1" : "0"
        try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE syncs SET last_run_at = \(bind: Timestamp.millis(at)), last_status = \(bind: status.rawValue),
                    consecutive_failures = \(unsafeRaw: failures), updated_at = \(bind: Timestamp.millis(at))
                WHERE tenant_id = \(bind: tenantID) AND connection_id = \(bind: connectionID)
                    AND entity_type = \(bind: entityType)
                """
            ).run()
        }
        return try await find(tenantID: tenantID, connectionID: connectionID, entityType: entityType)
    }
}
