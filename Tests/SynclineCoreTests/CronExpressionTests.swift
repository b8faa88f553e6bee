import Foundation
import SynclineCore
import Testing

/// Groups the cron suites under one name for `swift test --filter CronExpressionTests`.
@Suite("Cron expression")
struct CronExpressionTests {}

extension CronExpressionTests {
    @Suite("Parsing")
    struct Parsing {
        @Test(
            "every documented form parses",
            arguments: [
                "* * * * *", "*/15 * * * *", "0 * * * *", "5 * * * *", "0 9 * * 1-5", "0 0 1 * *", "1,2 3-5 */2 * *",
                "10-50/10 * * * *", "5/15 * * * *", "0 0 * JAN,jul *", "0 0 * Jan-Mar MON-fri", "0 0 * * 7",
                "0 0 * * sun", "0 0 1-31 1-12 0-7", "0\t9  *  * 1",
            ]
        )
        func validForms(expression: String) throws {
            _ = try CronExpression(parsing: expression)
        }

        @Test("the description joins the fields with single spaces")
        func description() throws {
            #expect(try CronExpression(parsing: "  0\t9  * *   MON-FRI ").description == "0 9 * * MON-FRI")
        }

        @Test(
            "each error names the field it concerns",
            arguments: [
                (
                    "* * * *", "cron",
                    "cron expression needs 5 fields (minute hour day-of-month month day-of-week), found 4"
                ),
                (
                    "* * * * * *", "cron",
                    "cron expression needs 5 fields (minute hour day-of-month month day-of-week), found 6"
                ),
                ("60 * * * *", "minute", "cron field 1 (minute): 60 is outside 0-59"),
                ("0 25 * * *", "hour", "cron field 2 (hour): 25 is outside 0-23"),
                ("0 0 0 * *", "day-of-month", "cron field 3 (day-of-month): 0 is outside 1-31"),
                ("0 0 32 * *", "day-of-month", "cron field 3 (day-of-month): 32 is outside 1-31"),
                ("0 0 * 13 *", "month", "cron field 4 (month): 13 is outside 1-12"),
                ("0 0 * * 8", "day-of-week", "cron field 5 (day-of-week): 8 is outside 0-7"),
                ("0 0 * FOO *", "month", "cron field 4 (month): 'FOO' is not a number or a month name"),
                (
                    "0 0 * * MON-BAR", "day-of-week",
                    "cron field 5 (day-of-week): 'BAR' is not a number or a weekday name"
                ),
                ("MON * * * *", "minute", "cron field 1 (minute): 'MON' is not a number"),
                ("x * * * *", "minute", "cron field 1 (minute): 'x' is not a number"),
                ("+5 * * * *", "minute", "cron field 1 (minute): '+5' is not a number"),
                ("*/0 * * * *", "minute", "cron field 1 (minute): step 0 is outside 1-60"),
                ("0 */25 * * *", "hour", "cron field 2 (hour): step 25 is outside 1-24"),
                ("*/x * * * *", "minute", "cron field 1 (minute): step 'x' is not a number"),
                ("*/2/3 * * * *", "minute", "cron field 1 (minute): '*/2/3' has more than one step"),
                ("30-10 * * * *", "minute", "cron field 1 (minute): range 30-10 runs backwards"),
                ("0 0 * * FRI-MON", "day-of-week", "cron field 5 (day-of-week): range FRI-MON runs backwards"),
                ("1-2-3 * * * *", "minute", "cron field 1 (minute): '1-2-3' is not a range of two values"),
                ("1- * * * *", "minute", "cron field 1 (minute): a range is missing a value"),
                ("1,,2 * * * *", "minute", "cron field 1 (minute): '1,,2' has an empty list item"),
            ]
        )
        func errors(expression: String, field: String, message: String) {
            #expect {
                try CronExpression(parsing: expression)
            } throws: { error in
                guard let error = error as? ScheduleError else { return false }
                return error.code == .invalidCron && error.field == field && error.message == message
            }
        }

        @Test("names are case-insensitive and mean their numbers")
        func names() throws {
            let start = try cronDate("2026-01-01T00:00:00Z")
            let named = try cronFires("0 9 * jan,Feb Mon-fri", after: start, count: 30)
            let numbered = try cronFires("0 9 * 1,2 1-5", after: start, count: 30)
            #expect(named == numbered)
            #expect(named.count == 30)
        }

        @Test("day-of-week 7 and 0 are both Sunday")
        func sundaySeven() throws {
            let start = try cronDate("2026-01-01T00:00:00Z")
            #expect(
                try cronFires("0 0 * * 7", after: start, count: 3) == [
                    "2026-01-04 00:00 +00:00", "2026-01-11 00:00 +00:00", "2026-01-18 00:00 +00:00",
                ]
            )
            #expect(
                try cronFires("0 0 * * 0", after: start, count: 3) == cronFires("0 0 * * 7", after: start, count: 3)
            )
            #expect(
                try cronFires("0 0 * * 5-7", after: start, count: 3) == [
                    "2026-01-02 00:00 +00:00", "2026-01-03 00:00 +00:00", "2026-01-04 00:00 +00:00",
                ]
            )
        }
    }

    @Suite("Next date")
    struct NextDate {
        @Test("every 15 minutes")
        func everyFifteenMinutes() throws {
            #expect(
                try cronFires("*/15 * * * *", after: cronDate("2026-01-05T10:07:00Z"), count: 4) == [
                    "2026-01-05 10:15 +00:00", "2026-01-05 10:30 +00:00", "2026-01-05 10:45 +00:00",
                    "2026-01-05 11:00 +00:00",
                ]
            )
        }

        @Test("the next date is strictly after the given one, on a whole minute")
        func strictlyAfter() throws {
            #expect(
                try cronFires("*/15 * * * *", after: cronDate("2026-01-05T10:15:00Z"), count: 1) == [
                    "2026-01-05 10:30 +00:00"
                ]
            )
            let justBefore = try cronDate("2026-01-05T10:14:59Z").addingTimeInterval(0.5)
            #expect(try cronFires("*/15 * * * *", after: justBefore, count: 1) == ["2026-01-05 10:15 +00:00"])
        }

        @Test("hourly at five past")
        func hourlyAtFive() throws {
            #expect(
                try cronFires("5 * * * *", after: cronDate("2026-01-05T10:05:00Z"), count: 3) == [
                    "2026-01-05 11:05 +00:00", "2026-01-05 12:05 +00:00", "2026-01-05 13:05 +00:00",
                ]
            )
        }

        @Test("weekdays at 09:00 skip the weekend")
        func weekdays() throws {
            // 2026-01-02 is a Friday.
            #expect(
                try cronFires("0 9 * * 1-5", after: cronDate("2026-01-02T10:00:00Z"), count: 6) == [
                    "2026-01-05 09:00 +00:00", "2026-01-06 09:00 +00:00", "2026-01-07 09:00 +00:00",
                    "2026-01-08 09:00 +00:00", "2026-01-09 09:00 +00:00", "2026-01-12 09:00 +00:00",
                ]
            )
        }

        @Test("the first of the month")
        func firstOfMonth() throws {
            #expect(
                try cronFires("0 0 1 * *", after: cronDate("2026-01-15T00:00:00Z"), count: 3) == [
                    "2026-02-01 00:00 +00:00", "2026-03-01 00:00 +00:00", "2026-04-01 00:00 +00:00",
                ]
            )
        }

        @Test("ranges with a step")
        func rangeStep() throws {
            #expect(
                try cronFires("10-50/10 */6 * * *", after: cronDate("2026-01-01T00:00:00Z"), count: 7) == [
                    "2026-01-01 00:10 +00:00", "2026-01-01 00:20 +00:00", "2026-01-01 00:30 +00:00",
                    "2026-01-01 00:40 +00:00",
                    "2026-01-01 00:50 +00:00", "2026-01-01 06:10 +00:00", "2026-01-01 06:20 +00:00",
                ]
            )
        }

        @Test("with day-of-month and day-of-week both restricted, either one matching is enough")
        func domOrDow() throws {
            // 1 March 2026 is a Sunday, 1 April a Wednesday; the rest are Mondays.
            #expect(
                try cronFires("0 0 1 * MON", after: cronDate("2026-02-24T00:00:00Z"), count: 8) == [
                    "2026-03-01 00:00 +00:00", "2026-03-02 00:00 +00:00", "2026-03-09 00:00 +00:00",
                    "2026-03-16 00:00 +00:00",
                    "2026-03-23 00:00 +00:00", "2026-03-30 00:00 +00:00", "2026-04-01 00:00 +00:00",
                    "2026-04-06 00:00 +00:00",
                ]
            )
        }

        @Test("with only day-of-week restricted, only those weekdays match")
        func dowOnly() throws {
            #expect(
                try cronFires("0 0 * * 1", after: cronDate("2026-02-24T00:00:00Z"), count: 3) == [
                    "2026-03-02 00:00 +00:00", "2026-03-09 00:00 +00:00", "2026-03-16 00:00 +00:00",
                ]
            )
        }

        @Test("a day-of-month containing * is unrestricted, so both fields must match")
        func starStepIsUnrestricted() throws {
            // Days 1, 11, 21 and 31 that are Mondays.
            #expect(
                try cronFires("0 0 */10 * 1", after: cronDate("2026-01-01T00:00:00Z"), count: 3) == [
                    "2026-05-11 00:00 +00:00", "2026-06-01 00:00 +00:00", "2026-08-31 00:00 +00:00",
                ]
            )
        }

        @Test("February 29 fires in leap years only, even across 2100")
        func leapDay() throws {
            #expect(
                try cronFires("0 0 29 2 *", after: cronDate("2026-01-01T00:00:00Z"), count: 3) == [
                    "2028-02-29 00:00 +00:00", "2032-02-29 00:00 +00:00", "2036-02-29 00:00 +00:00",
                ]
            )
            #expect(
                try cronFires("0 0 29 2 *", after: cronDate("2096-03-01T00:00:00Z"), count: 1) == [
                    "2104-02-29 00:00 +00:00"
                ]
            )
        }

        @Test("the 31st skips shorter months")
        func thirtyFirst() throws {
            #expect(
                try cronFires("0 0 31 * *", after: cronDate("2026-04-01T00:00:00Z"), count: 3) == [
                    "2026-05-31 00:00 +00:00", "2026-07-31 00:00 +00:00", "2026-08-31 00:00 +00:00",
                ]
            )
        }

        @Test("an impossible date gives nil", arguments: ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 feb *"])
        func impossible(expression: String) throws {
            let cron = try CronExpression(parsing: expression)
            #expect(cron.nextDate(after: try cronDate("2026-01-01T00:00:00Z"), in: .gmt) == nil)
        }

        @Test("February 30 or a Monday still fires on the Mondays")
        func impossibleDayButWeekday() throws {
            #expect(
                try cronFires("0 0 30 2 1", after: cronDate("2026-01-01T00:00:00Z"), count: 3) == [
                    "2026-02-02 00:00 +00:00", "2026-02-09 00:00 +00:00", "2026-02-16 00:00 +00:00",
                ]
            )
        }

        @Test("times are wall-clock times of the zone")
        func wallClock() throws {
            #expect(
                try cronFires("0 9 * * *", after: cronDate("2026-03-27T12:00:00Z"), count: 3, in: "Europe/Amsterdam")
                    == [
                        "2026-03-28 09:00 +01:00", "2026-03-29 09:00 +02:00", "2026-03-30 09:00 +02:00",
                    ]
            )
        }
    }

    @Suite("Across daylight saving changes")
    struct DaylightSaving {
        @Test("Amsterdam spring forward: 02:30 does not exist, so that day is skipped")
        func amsterdamSpringGap() throws {
            #expect(
                try cronFires(
                    "30 2 * * *",
                    after: cronDate("2026-03-28T12:00:00+01:00"),
                    count: 2,
                    in: "Europe/Amsterdam"
                ) == [
                    "2026-03-30 02:30 +02:00", "2026-03-31 02:30 +02:00",
                ]
            )
        }

        @Test("Amsterdam spring forward: hourly goes from 01:00 to 03:00, every minute from 01:59 to 03:00")
        func amsterdamSpringHourly() throws {
            #expect(
                try cronFires(
                    "0 * * * *",
                    after: cronDate("2026-03-29T00:00:00+01:00"),
                    count: 3,
                    in: "Europe/Amsterdam"
                ) == [
                    "2026-03-29 01:00 +01:00", "2026-03-29 03:00 +02:00", "2026-03-29 04:00 +02:00",
                ]
            )
            #expect(
                try cronFires(
                    "* * * * *",
                    after: cronDate("2026-03-29T01:58:00+01:00"),
                    count: 3,
                    in: "Europe/Amsterdam"
                ) == [
                    "2026-03-29 01:59 +01:00", "2026-03-29 03:00 +02:00", "2026-03-29 03:01 +02:00",
                ]
            )
        }

        @Test("Amsterdam fall back: 02:30 happens twice and fires at the first")
        func amsterdamFallRepeat() throws {
            #expect(
                try cronFires(
                    "30 2 * * *",
                    after: cronDate("2026-10-24T12:00:00+02:00"),
                    count: 2,
                    in: "Europe/Amsterdam"
                ) == [
                    "2026-10-25 02:30 +02:00", "2026-10-26 02:30 +01:00",
                ]
            )
        }

        @Test("Amsterdam fall back: hourly fires at 02:00 once")
        func amsterdamFallHourly() throws {
            #expect(
                try cronFires(
                    "0 * * * *",
                    after: cronDate("2026-10-25T00:00:00+02:00"),
                    count: 4,
                    in: "Europe/Amsterdam"
                ) == [
                    "2026-10-25 01:00 +02:00", "2026-10-25 02:00 +02:00", "2026-10-25 03:00 +01:00",
                    "2026-10-25 04:00 +01:00",
                ]
            )
        }

        @Test(
            "during the repeated hour nothing fires again",
            arguments: ["2026-10-25T02:20:00+01:00", "2026-10-25T02:50:00+02:00"]
        )
        func amsterdamSecondPass(start: String) throws {
            #expect(
                try cronFires("*/15 * * * *", after: cronDate(start), count: 2, in: "Europe/Amsterdam") == [
                    "2026-10-25 03:00 +01:00", "2026-10-25 03:15 +01:00",
                ]
            )
        }

        @Test("New York spring forward: 30 2 * * * skips 8 March")
        func newYorkSpringGap() throws {
            #expect(
                try cronFires(
                    "30 2 * * *",
                    after: cronDate("2026-03-07T12:00:00-05:00"),
                    count: 2,
                    in: "America/New_York"
                ) == [
                    "2026-03-09 02:30 -04:00", "2026-03-10 02:30 -04:00",
                ]
            )
        }

        @Test("New York: hourly across both changes")
        func newYorkHourly() throws {
            #expect(
                try cronFires(
                    "0 * * * *",
                    after: cronDate("2026-03-08T00:00:00-05:00"),
                    count: 3,
                    in: "America/New_York"
                ) == [
                    "2026-03-08 01:00 -05:00", "2026-03-08 03:00 -04:00", "2026-03-08 04:00 -04:00",
                ]
            )
            #expect(
                try cronFires(
                    "0 * * * *",
                    after: cronDate("2026-11-01T00:00:00-04:00"),
                    count: 3,
                    in: "America/New_York"
                ) == [
                    "2026-11-01 01:00 -04:00", "2026-11-01 02:00 -05:00", "2026-11-01 03:00 -05:00",
                ]
            )
            #expect(
                try cronFires(
                    "30 1 * * *",
                    after: cronDate("2026-10-31T12:00:00-04:00"),
                    count: 2,
                    in: "America/New_York"
                ) == [
                    "2026-11-01 01:30 -04:00", "2026-11-02 01:30 -05:00",
                ]
            )
        }

        @Test(
            "hourly over three days around each change: no wall-clock hour twice, none missing but the skipped one",
            arguments: [
                (
                    "Europe/Amsterdam", "2026-03-28T00:00:00+01:00", ["2026-03-28", "2026-03-29", "2026-03-30"],
                    "2026-03-29 02"
                ),
                ("Europe/Amsterdam", "2026-10-24T00:00:00+02:00", ["2026-10-24", "2026-10-25", "2026-10-26"], nil),
                (
                    "America/New_York", "2026-03-07T00:00:00-05:00", ["2026-03-07", "2026-03-08", "2026-03-09"],
                    "2026-03-08 02"
                ),
                ("America/New_York", "2026-10-31T00:00:00-04:00", ["2026-10-31", "2026-11-01", "2026-11-02"], nil),
            ] as [(String, String, [String], String?)]
        )
        func hourlySweep(zone: String, start: String, days: [String], missing: String?) throws {
            // Setup: every wall-clock hour of the three days, less the starting midnight (not strictly after).
            var expected: [String] = []
            for day in days {
                for hour in 0..<24 {
                    let label = day + (hour < 10 ? " 0" : " ") + String(hour)
                    if label != days[0] + " 00" && label != missing { expected.append(label) }
                }
            }

            // Act.
            let fires = try cronFires("0 * * * *", after: cronDate(start), count: expected.count, in: zone)

            // Verify.
            let hours = fires.map { String($0.prefix(13)) }
            #expect(Set(hours).count == hours.count)
            #expect(hours == expected)
            #expect(expected.count == (missing == nil ? 71 : 70))
        }
    }
}

/// Parses an ISO 8601 date with its offset.
private func cronDate(_ text: String) throws -> Date {
    try Date(text, strategy: .iso8601)
}

/// The next `count` firings after `start`, as "yyyy-MM-dd HH:mm ±hh:mm" in `zoneName`; seconds are appended
/// when not zero, so an off-minute result fails visibly.
private func cronFires(_ expression: String, after start: Date, count: Int, in zoneName: String = "UTC") throws
    -> [String]
{
    let cron = try CronExpression(parsing: expression)
    let zone = try #require(TimeZone(identifier: zoneName))
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    var current = start
    var result: [String] = []
    for _ in 0..<count {
        guard let next = cron.nextDate(after: current, in: zone) else { break }
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: next)
        let offset = zone.secondsFromGMT(for: next)
        let sign = offset < 0 ? "-" : "+"
        var text =
            "\(parts.year ?? 0)-\(twoDigits(parts.month))-\(twoDigits(parts.day)) "
            + "\(twoDigits(parts.hour)):\(twoDigits(parts.minute)) "
            + "\(sign)\(twoDigits(abs(offset) / 3600)):\(twoDigits(abs(offset) % 3600 / 60))"
        if let second = parts.second, second != 0 { text += ":\(second)" }
        result.append(text)
        current = next
    }
    return result
}

private func twoDigits(_ value: Int?) -> String {
    let value = value ?? 0
    return value < 10 ? "0\(value)" : "\(value)"
}
