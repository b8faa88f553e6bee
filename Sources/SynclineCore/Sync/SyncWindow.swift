import Foundation

/// Sync parameters evaluated when the job runs rather than when it is scheduled, so "hourly, the latest fiscal
/// year's timesheets" is one schedule: `{"window": "last_n_days", "days": "30"}` or
/// `{"window": "current_fiscal_year"}` become `start_date` and `end_date` (`YYYY-MM-DD`, the provider's
/// `{{params.start_date}}` / `{{params.end_date}}`) for the day the job runs.
public enum SyncWindow {
    /// The window names a sync's parameters may hold.
    public static let names = ["last_n_days", "current_fiscal_year", "previous_fiscal_year"]

    /// A window a caller got wrong, in words that name the parameter.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var parameter: String
        public var message: String
        public var description: String { message }
    }

    /// `parameters` with a `window` replaced by its dates (other parameters kept); unchanged without one.
    /// `timeZone` decides which day "today" is.
    public static func resolve(
        _ parameters: [String: String],
        now: Date,
        fiscalYearStartMonth: Int = 1,
        timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current
    ) throws(Problem) -> [String: String] {
        guard let window = parameters["window"] else { return parameters }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: now)
        var resolved = parameters
        resolved["window"] = nil
        let start: Date
        let end: Date
        switch window {
        case "last_n_days":
            guard let text = parameters["days"], let days = Int(text), (1...3660).contains(days) else {
                throw Problem(
                    parameter: "days",
                    message: "the last_n_days window needs days, a whole number from 1 to 3660"
                )
            }
            resolved["days"] = nil
            guard let first = calendar.date(byAdding: .day, value: -(days - 1), to: today) else {
                throw Problem(parameter: "days", message: "days is out of range")
            }
            start = first
            end = today
        case "current_fiscal_year", "previous_fiscal_year":
            guard (1...12).contains(fiscalYearStartMonth) else {
                throw Problem(parameter: "window", message: "the tenant's fiscal year start month is not 1 to 12")
            }
            let parts = calendar.dateComponents([.year, .month], from: today)
            let year = (parts.year ?? 1970) - ((parts.month ?? 1) < fiscalYearStartMonth ? 1 : 0)
            let offset = window == "previous_fiscal_year" ? -1 : 0
            guard
                let first = calendar.date(
                    from: DateComponents(year: year + offset, month: fiscalYearStartMonth, day: 1)
                ),
                let next = calendar.date(byAdding: .year, value: 1, to: first),
                let last = calendar.date(byAdding: .day, value: -1, to: next)
            else { throw Problem(parameter: "window", message: "the fiscal year could not be computed") }
            start = first
            end = last
        default:
            throw Problem(
                parameter: "window",
                message: "window must be one of \(names.joined(separator: ", ")); got '\(window)'"
            )
        }
        resolved["start_date"] = day(start, calendar)
        resolved["end_date"] = day(end, calendar)
        return resolved
    }

    private static func day(_ date: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let year = parts.year ?? 1970
        let month = parts.month ?? 1
        let day = parts.day ?? 1
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }
}
