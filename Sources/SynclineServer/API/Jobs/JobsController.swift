import Foundation
import Hummingbird
import SynclineCore

/// The tenant's jobs: list with filters (the dead-letter view is `status=dead`), one job, retry and cancel.
struct JobsController: Sendable {
    let api: APIDependencies
    let now: @Sendable () -> Date

    func register(on group: RouterGroup<SynclineRequestContext>) {
        group.get("jobs") { request, context in try await list(request, context) }
        group.get("jobs/{id}") { _, context in try await find(context) }
        group.post("jobs/{id}/retry") { _, context in
            try await act(context) { id, tenant in
                try await api.jobs.retry(id: id, tenantID: tenant, now: now())
            }
        }
        group.post("jobs/{id}/cancel") { _, context in
            try await act(context) { id, tenant in
                try await api.jobs.cancel(id: id, tenantID: tenant, now: now())
            }
        }
    }

    func list(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        let tenant = try context.requireTenant()
        let query = request.uri.queryParameters
        var filter = JobFilter(limit: try SyncsController.limit(request))
        if let text = query.get("status") {
            guard let status = JobStatus(rawValue: text) else {
                let known = JobStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError(.badRequest, "invalid", "status must be one of \(known)", field: "status")
            }
            filter.status = status
        }
        filter.connectionID = query.get("connection_id")
        filter.kind = query.get("kind")
        return .list(try await api.jobs.list(tenantID: tenant, filter: filter).map(APIRepresentation.job))
    }

    func find(_ context: SynclineRequestContext) async throws -> JSONResponse {
        let tenant = try context.requireTenant()
        let id = context.parameters.get("id") ?? ""
        guard let job = try await api.jobs.find(id: id, tenantID: tenant) else { throw APIError.notFound("job \(id)") }
        return JSONResponse(APIRepresentation.job(job))
    }

    func act(
        _ context: SynclineRequestContext,
        _ body: (String, String) async throws -> Job
    ) async throws -> JSONResponse {
        let tenant = try context.requireTenant()
        let id = context.parameters.get("id") ?? ""
        do {
            return JSONResponse(APIRepresentation.job(try await body(id, tenant)))
        } catch let error as StoreError {
            throw error.apiError
        }
    }
}
