import Foundation

/// A parsed five-field cron expression (minute hour day-of-month month day-of-week), so a sync can run at
/// wall-clock times in its tenant's time zone ("weekdays at 09:00 in Amsterdam") rather than every N minutes.
///
/// Syntax per field: `*`, a value, a range `1-5`, a list `1,2,10-12`, and steps `*/15`, `10-50/10` or `5/15`
/// (from 5 to the field's maximum). Months take `JAN`-`DEC` and days of the week `SUN`-`SAT`, in any case;
/// day-of-week 0 and 7 are both Sunday. When day-of-month and day-of-week are both restricted (neither
/// contains `*`, as crontab(5) puts it) a day matches if either matches; otherwise both must.
///
/// Daylight saving time, in `nextDate(after:in:)`: the expression is matched against local wall-clock time.
/// A wall-clock time that does not exist (the hour skipped when clocks spring forward) never fires: the
/// search moves on to the next matching time that exists, so "30 2 * * *" skips the spring-forward day.
/// A wall-clock time that happens twice (the hour repeated when clocks fall back) fires once, at its first
/// occurrence, so "0 * * * *" fires 24 times a day except 23 on the spring-forward day.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The five fields as written, joined by single spaces.
    public let description: String
    private let minutes: FieldSet
    private let hours: FieldSet
    private let daysOfMonth: FieldSet
    private let months: FieldSet
    /// Sunday is 0; a 7 in the expression is stored as 0.
    private let daysOfWeek: FieldSet
    private let dayOfMonthRestricted: Bool
    private let dayOfWeekRestricted: Bool

    /// How far ahead `nextDate(after:in:)` looks before deciding an expression never fires: eight years,
    /// the longest gap between two February 29ths (2096 to 2104).
    public static let searchYears = 8

    /// Parses `expression`, throwing a `ScheduleError` that names the field at fault.
    public init(parsing expression: String) throws(ScheduleError) {
        let fields = expression.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ScheduleError(
                .invalidCron,
                field: "cron",
                "cron expression needs 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)"
            )
        }
        minutes = try Field.minute.parse(fields[0])
        hours = try Field.hour.parse(fields[1])
        daysOfMonth = try Field.dayOfMonth.parse(fields[2])
        months = try Field.month.parse(fields[3])
        daysOfWeek = try Field.dayOfWeek.parse(fields[4])
        dayOfMonthRestricted = !fields[2].contains("*")
        dayOfWeekRestricted = !fields[4].contains("*")
        description = fields.joined(separator: " ")
    }

    /// The first whole minute strictly after `date` whose wall-clock time in `timeZone` matches, or nil when
    /// none comes within `searchYears` (an impossible date such as February 30).
    public func nextDate(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let now = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard let year = now.year, let month = now.month, let day = now.day, let hour = now.hour,
            let minute = now.minute
        else { return nil }
        var wall = WallTime(year: year, month: month, day: day, hour: hour, minute: minute)
        wall.advanceMinute()
        let lastYear = year + Self.searchYears
        while wall.year <= lastYear {
            guard let month = months.first(from: wall.month) else {
                wall = WallTime(year: wall.year + 1, month: 1, day: 1, hour: 0, minute: 0)
                continue
            }
            if month != wall.month {
                wall = WallTime(year: wall.year, month: month, day: 1, hour: 0, minute: 0)
            }
            guard dayMatches(wall) else {
                wall.advanceDay()
                continue
            }
            guard let hour = hours.first(from: wall.hour) else {
                wall.advanceDay()
                continue
            }
            if hour != wall.hour {
                wall.hour = hour
                wall.minute = 0
            }
            guard let minute = minutes.first(from: wall.minute) else {
                wall.advanceHour()
                continue
            }
            wall.minute = minute
            // Skips a time in a spring-forward gap, and a repeated time whose first occurrence is not after `date`.
            if let fire = Self.firstOccurrence(of: wall, in: calendar), fire > date { return fire }
            wall.advanceMinute()
        }
        return nil
    }

    private func dayMatches(_ wall: WallTime) -> Bool {
        guard wall.day <= WallTime.daysIn(month: wall.month, year: wall.year) else { return false }
        let byMonth = daysOfMonth.contains(wall.day)
        let byWeek = daysOfWeek.contains(wall.weekday)
        if dayOfMonthRestricted && dayOfWeekRestricted { return byMonth || byWeek }
        return byMonth && byWeek
    }

    /// The earliest instant whose wall-clock time in the calendar's zone is `wall`, or nil when the clocks
    /// skip it.
    private static func firstOccurrence(of wall: WallTime, in calendar: Calendar) -> Date? {
        let components = DateComponents(
            year: wall.year,
            month: wall.month,
            day: wall.day,
            hour: wall.hour,
            minute: wall.minute
        )
        guard let guess = calendar.date(from: components) else { return nil }
        // In a gap Foundation answers with a shifted time; reading it back shows the wall time does not exist.
        let check = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: guess)
        guard check.year == wall.year, check.month == wall.month, check.day == wall.day,
            check.hour == wall.hour, check.minute == wall.minute
        else { return nil }
        // A repeated time has a second instant one offset change away; the offsets in force a day either side
        // find it whichever occurrence Foundation chose.
        let zone = calendar.timeZone
        let offset = zone.secondsFromGMT(for: guess)
        var first = guess
        for probe in [-86_400.0, 86_400.0] {
            let otherOffset = zone.secondsFromGMT(for: guess.addingTimeInterval(probe))
            guard otherOffset != offset else { continue }
            let other = guess.addingTimeInterval(TimeInterval(offset - otherOffset))
            if other < first && zone.secondsFromGMT(for: other) == otherOffset { first = other }
        }
        return first
    }
}

extension CronExpression {
    /// The allowed values of one field, as bits 0 to 63.
    private struct FieldSet: Sendable, Hashable {
        var bits: UInt64 = 0

        func contains(_ value: Int) -> Bool { value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0 }

        /// The smallest allowed value that is at least `value`.
        func first(from value: Int) -> Int? {
            guard value < 64 else { return nil }
            let remaining = bits >> UInt64(max(value, 0))
            guard remaining != 0 else { return nil }
            return max(value, 0) + remaining.trailingZeroBitCount
        }

        mutating func insert(_ value: Int) { bits |= 1 << UInt64(value) }
    }

    /// One of the five positions, with its bounds and names, parsing its text into a `FieldSet`.
    private struct Field {
        let position: Int
        let name: String
        let range: ClosedRange<Int>
        let names: [String: Int]
        let nameKind: String?

        static let minute = Field(position: 1, name: "minute", range: 0...59, names: [:], nameKind: nil)
        static let hour = Field(position: 2, name: "hour", range: 0...23, names: [:], nameKind: nil)
        static let dayOfMonth = Field(position: 3, name: "day-of-month", range: 1...31, names: [:], nameKind: nil)
        static let month = Field(
            position: 4,
            name: "month",
            range: 1...12,
            names: [
                "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
                "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12,
            ],
            nameKind: "month name"
        )
        static let dayOfWeek = Field(
            position: 5,
            name: "day-of-week",
            range: 0...7,
            names: ["SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6],
            nameKind: "weekday name"
        )

        func parse(_ text: String) throws(ScheduleError) -> FieldSet {
            var set = FieldSet()
            for item in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard !item.isEmpty else { throw error("'\(text)' has an empty list item") }
                let parts = item.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count <= 2 else { throw error("'\(item)' has more than one step") }
                var (low, high) = try bounds(of: parts[0])
                var step = 1
                if parts.count == 2 {
                    guard let value = Self.number(parts[1]) else {
                        throw error("step '\(parts[1])' is not a number")
                    }
                    guard value >= 1, value <= range.count else {
                        throw error("step \(value) is outside 1-\(range.count)")
                    }
                    step = value
                    // "5/15" counts from 5 to the end of the field.
                    if !parts[0].contains("-") && parts[0] != "*" { high = range.upperBound }
                }
                while low <= high {
                    set.insert(position == 5 && low == 7 ? 0 : low)
                    low += step
                }
            }
            return set
        }

        private func bounds(of text: Substring) throws(ScheduleError) -> (Int, Int) {
            if text == "*" { return (range.lowerBound, range.upperBound) }
            let ends = text.split(separator: "-", omittingEmptySubsequences: false)
            guard ends.count <= 2 else { throw error("'\(text)' is not a range of two values") }
            let low = try value(of: ends[0])
            guard ends.count == 2 else { return (low, low) }
            let high = try value(of: ends[1])
            guard low <= high else { throw error("range \(text) runs backwards") }
            return (low, high)
        }

        private func value(of text: Substring) throws(ScheduleError) -> Int {
            guard !text.isEmpty else { throw error("a range is missing a value") }
            let number: Int
            if let parsed = Self.number(text) {
                number = parsed
            } else if let named = names[text.uppercased()] {
                number = named
            } else {
                let expected = nameKind.map { "a number or a \($0)" } ?? "a number"
                throw error("'\(text)' is not \(expected)")
            }
            guard range.contains(number) else {
                throw error("\(number) is outside \(range.lowerBound)-\(range.upperBound)")
            }
            return number
        }

        /// Plain decimal digits only: no sign or spaces; a value too large for `Int` is not a number either.
        private static func number(_ text: Substring) -> Int? {
            guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(text)
        }

        private func error(_ detail: String) -> ScheduleError {
            ScheduleError(.invalidCron, field: name, "cron field \(position) (\(name)): \(detail)")
        }
    }

    /// A local calendar date and time of day, stepped field by field without regard to time zones.
    private struct WallTime {
        var year: Int
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int

        /// 0 for Sunday, by Sakamoto's method.
        var weekday: Int {
            let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
            let y = month < 3 ? year - 1 : year
            let sum = y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day
            return ((sum % 7) + 7) % 7
        }

        static func daysIn(month: Int, year: Int) -> Int {
            switch month {
            case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
            case 4, 6, 9, 11: return 30
            default: return 31
            }
        }

        mutating func advanceMinute() {
            minute += 1
            if minute > 59 { advanceHour() }
        }

        mutating func advanceHour() {
            minute = 0
            hour += 1
            if hour > 23 { advanceDay() }
        }

        mutating func advanceDay() {
            minute = 0
            hour = 0
            day += 1
            if day > Self.daysIn(month: month, year: year) {
                day = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
        }
    }
}
