import Foundation
import SQLKit
import SynclineCore

/// Circuit breakers in `connections.circuit` (JSON) with `circuit_probe_at`, saved with the status in one update.
public struct SQLCircuitStore: CircuitStore {
    let database: Database

    public func breaker(tenantID: String, connectionID: String) async throws -> CircuitBreaker? {
        struct Row: Decodable { var circuit: String? }
        let row = try await database.withConnection { db in
            try await db.select().column("circuit").from("connections")
                .where("id", .equal, connectionID)
                .where("tenant_id", .equal, tenantID)
                .first(decoding: Row.self)
        }
        guard let text = row?.circuit else { return nil }
        return try JSONDecoder().decode(CircuitBreaker.self, from: Data(text.utf8))
    }

    public func save(
        _ breaker: CircuitBreaker,
        status: ConnectionStatus,
        probeAt: Date?,
        tenantID: String,
        connectionID: String,
        now: Date
    ) async throws {
        let encoded = String(decoding: try JSONEncoder().encode(breaker), as: UTF8.self)
        let saved = try await database.withConnection { db in
            try await db.update("connections")
                .set("circuit", to: encoded)
                .set("circuit_probe_at", to: Timestamp.millis(probeAt))
                .set("status", to: status.rawValue)
                .set("updated_at", to: Timestamp.millis(now))
                .where("id", .equal, connectionID)
                .where("tenant_id", .equal, tenantID)
                .returning("id")
                .first() != nil
        }
        guard saved else { throw StoreError(.notFound, "connection \(connectionID) does not exist") }
    }

    public func takeProbe(connectionID: String, now: Date) async throws -> Bool {
        try await database.withConnection { db in
            try await db.update("connections")
                .set("circuit_probe_at", to: Int64?.none)
                .where("id", .equal, connectionID)
                .where("circuit_probe_at", .lessThanOrEqual, Timestamp.millis(now))
                .returning("id")
                .first() != nil
        }
    }
}
