import Foundation
import Hummingbird
import HummingbirdTesting
import SynclineCore
import SynclineServer
import Testing

@Suite("GET /health")
struct HealthTests {
    /// A health port that answers what it is given: the route's own logic is under test here; the real
    /// stores behind the port are exercised end to end in SynclineAppTests.
    struct FixedHealth: StoreHealth {
        let result: Result<StoreHealthReport, StoreError>
        func health() async throws -> StoreHealthReport { try result.get() }
    }

    private func app(_ health: FixedHealth) -> some ApplicationProtocol {
        Application(router: SynclineServer.makeRouter(dependencies: ServerDependencies(health: health)))
    }

    @Test("answers 200 with version, dialect and migration level")
    func healthy() async throws {
        let app = app(FixedHealth(result: .success(StoreHealthReport(database: "postgresql", migrationLevel: 3))))
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let body = try JSONValue.parse(String(buffer: response.body)).objectValue ?? [:]
                #expect(body["status"] == "ok")
                #expect(body["version"] == .string(SynclineVersion.current))
                #expect(body["database"] == "postgresql")
                #expect(body["migration_level"] == 3)
            }
        }
    }

    @Test("answers 503 without internals when the database fails")
    func unhealthy() async throws {
        let failure = StoreError(.unavailable, "cannot connect to PostgreSQL at postgres://u:****@db:5432/x")
        try await app(FixedHealth(result: .failure(failure))).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let text = String(buffer: response.body)
                #expect(text.contains("\"status\":\"unavailable\""))
                #expect(!text.contains("postgres://"))
            }
        }
    }
}
