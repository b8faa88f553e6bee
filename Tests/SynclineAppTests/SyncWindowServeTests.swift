import Foundation
import NIOHTTP1
import SynclineApp
import SynclineCore
import SynclineTestSupport
import Testing

/// Sync windows end to end: a run-now with a window is evaluated when the job runs, with the tenant's fiscal year.
@Suite("Sync windows in serve")
struct SyncWindowServeTests {
    @Test("a current_fiscal_year run gets the tenant's fiscal-year dates when it runs; a bad window is a 400")
    func fiscalYear() async throws {
        try await ServedAPI.with { api in
            let tenant = try await api.makeTenant("Acme")
            let patched = try await api.call(
                .PATCH,
                "/api/v1/tenants/\(tenant.id)",
                key: api.operatorKey,
                body: #"{"fiscal_year_start_month": 7}"#
            )
            #expect(patched.object["fiscal_year_start_month"] == 7, "\(patched.text)")
            let badMonth = try await api.call(
                .PATCH,
                "/api/v1/tenants/\(tenant.id)",
                key: api.operatorKey,
                body: #"{"fiscal_year_start_month": 13}"#
            )
            #expect(badMonth.status == 400)
            let id = try await api.makeHaloConnection(key: tenant.key)
            let bad = try await api.call(
                .POST,
                "/api/v1/connections/\(id)/syncs/timesheets/run",
                key: tenant.key,
                body: #"{"parameters": {"window": "fortnight"}}"#
            )
            #expect(bad.status == 400)
            #expect(bad.error["field"] == "parameters.window")
            let run = try await api.call(
                .POST,
                "/api/v1/connections/\(id)/syncs/timesheets/run",
                key: tenant.key,
                body: #"{"parameters": {"window": "current_fiscal_year"}}"#
            )
            #expect(run.status == 202, "\(run.text)")
            let expected = try SyncWindow.resolve(
                ["window": "current_fiscal_year"],
                now: Date(),
                fiscalYearStartMonth: 7
            )
            try await eventually("the timesheets run finished", timeout: 60) {
                let runs = try await api.call(.GET, "/api/v1/connections/\(id)/runs", key: tenant.key)
                return runs.data.contains { run in
                    let object = run.objectValue ?? [:]
                    return object["entity_type"] == "timesheets" && object["status"] != "running"
                        && object["parameters"]?.objectValue?["start_date"] != nil
                }
            }
            let runs = try await api.call(.GET, "/api/v1/connections/\(id)/runs", key: tenant.key)
            let timesheets = try #require(
                runs.data.compactMap(\.objectValue).first {
                    $0["entity_type"] == "timesheets" && $0["parameters"]?.objectValue?["window"] != nil
                }
            )
            #expect(timesheets["status"] == "succeeded", "\(timesheets)")
            let parameters = timesheets["parameters"]?.objectValue ?? [:]
            #expect(parameters["start_date"]?.stringValue == expected["start_date"])
            #expect(parameters["end_date"]?.stringValue == expected["end_date"])
            #expect(parameters["window"] == "current_fiscal_year")
        }
    }
}
