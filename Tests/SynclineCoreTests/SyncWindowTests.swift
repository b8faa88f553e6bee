import Foundation
import SynclineCore
import Testing

/// Run-time sync windows: the dates they stand for on the day a job runs.
@Suite("Sync windows")
struct SyncWindowTests {
    static func day(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text + "T15:30:00Z"))
    }

    @Test("last_n_days ends today and counts today as one of the days")
    func lastDays() throws {
        let resolved = try SyncWindow.resolve(
            ["window": "last_n_days", "days": "7", "other": "kept"],
            now: try Self.day("2026-03-04")
        )
        #expect(resolved == ["start_date": "2026-02-26", "end_date": "2026-03-04", "other": "kept"])
    }

    @Test(
        "current_fiscal_year follows the tenant's start month, across the calendar year",
        arguments: [
            ("2026-12-01", 1, "2026-01-01", "2026-12-31"),
            ("2026-12-01", 7, "2026-07-01", "2027-06-30"),
            ("2026-03-31", 4, "2025-04-01", "2026-03-31"),
            ("2026-04-01", 4, "2026-04-01", "2027-03-31"),
            ("2024-02-29", 3, "2023-03-01", "2024-02-29"),
        ]
    )
    func fiscalYear(today: String, month: Int, start: String, end: String) throws {
        let resolved = try SyncWindow.resolve(
            ["window": "current_fiscal_year"],
            now: try Self.day(today),
            fiscalYearStartMonth: month
        )
        #expect(resolved == ["start_date": start, "end_date": end])
    }

    @Test("previous_fiscal_year is the year before the current one")
    func previousYear() throws {
        let resolved = try SyncWindow.resolve(
            ["window": "previous_fiscal_year"],
            now: try Self.day("2026-12-01"),
            fiscalYearStartMonth: 7
        )
        #expect(resolved == ["start_date": "2025-07-01", "end_date": "2026-06-30"])
    }

    @Test("the day is the day in the given time zone")
    func timeZone() throws {
        let lateInAmsterdam = try #require(ISO8601DateFormatter().date(from: "2026-12-31T23:30:00Z"))
        let resolved = try SyncWindow.resolve(
            ["window": "last_n_days", "days": "1"],
            now: lateInAmsterdam,
            timeZone: try #require(TimeZone(identifier: "Europe/Amsterdam"))
        )
        #expect(resolved["end_date"] == "2027-01-01")
    }

    @Test("without a window the parameters pass unchanged; bad windows name the parameter")
    func problems() throws {
        #expect(try SyncWindow.resolve(["start_date": "2026-01-01"], now: Date()) == ["start_date": "2026-01-01"])
        let unknown = #expect(throws: SyncWindow.Problem.self) {
            try SyncWindow.resolve(["window": "fortnight"], now: Date())
        }
        #expect(unknown?.parameter == "window")
        #expect(unknown?.message.contains("last_n_days, current_fiscal_year") == true)
        for days in [nil, "0", "x", "99999"] {
            var parameters = ["window": "last_n_days"]
            parameters["days"] = days
            let error = #expect(throws: SyncWindow.Problem.self) { try SyncWindow.resolve(parameters, now: Date()) }
            #expect(error?.parameter == "days")
        }
    }
}
