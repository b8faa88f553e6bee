import Hummingbird
import Logging
import SynclineCore

/// `GET /health`: the version, the database dialect and the schema level, for load balancers and operators.
struct HealthController: Sendable {
    let health: any StoreHealth

    struct Body: ResponseEncodable {
        var status: String
        var version: String
        var database: String?
        var migrationLevel: Int?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case status, version, database, error
            case migrationLevel = "migration_level"
        }
    }

    func register(on router: Router<some RequestContext>) {
        router.get("/health") { _, context in
            try await check(logger: context.logger)
        }
    }

    func check(logger: Logger) async throws -> EditedResponse<Body> {
        do {
            let report = try await health.health()
            return EditedResponse(
                status: .ok,
                response: Body(
                    status: "ok",
                    version: SynclineVersion.current,
                    database: report.database,
                    migrationLevel: report.migrationLevel
                )
            )
        } catch {
            logger.error("Health check failed", metadata: ["error": "\(error)"])
            return EditedResponse(
                status: .serviceUnavailable,
                response: Body(status: "unavailable", version: SynclineVersion.current, error: "database unavailable")
            )
        }
    }
}
