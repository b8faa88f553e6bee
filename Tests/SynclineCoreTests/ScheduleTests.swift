import Foundation
import SynclineCore
import Testing

@Suite("Schedule")
struct ScheduleTests {
    @Test("an interval runs its minutes after the previous run, plus the seed's jitter")
    func intervalMath() throws {
        let after = try scheduleDate("2026-01-05T10:00:00Z")
        let schedule = try Schedule(intervalMinutes: 60)
        #expect(
            try schedule.nextRun(after: after, jitterSeconds: 0, seed: "c1:contacts") == after.addingTimeInterval(3600)
        )
        let jitter = Schedule.jitterOffset(seed: "c1:contacts", jitterSeconds: 300)
        #expect(
            try schedule.nextRun(after: after, jitterSeconds: 300, seed: "c1:contacts")
                == after.addingTimeInterval(3600 + TimeInterval(jitter))
        )
        #expect(
            try Schedule(intervalMinutes: 1).nextRun(after: after, jitterSeconds: 0, seed: "")
                == after.addingTimeInterval(60)
        )
    }

    @Test("an interval outside 1 minute to 366 days is refused", arguments: [0, -5, 527_041, Int.max])
    func intervalBounds(minutes: Int) {
        #expect {
            try Schedule(intervalMinutes: minutes)
        } throws: { error in
            guard let error = error as? ScheduleError else { return false }
            return error.code == .invalidInterval && error.field == "interval_minutes"
                && error.message == "interval of \(minutes) minutes is outside 1-527040"
        }
        // A case built directly is checked again when it is used.
        #expect(throws: ScheduleError.self) {
            try Schedule.interval(minutes: minutes).nextRun(after: .distantPast, jitterSeconds: 0, seed: "")
        }
    }

    @Test("a cron schedule runs at the next cron time in its zone, plus the seed's jitter")
    func cronMath() throws {
        let schedule = try Schedule(cron: "0 * * * *", timeZone: "Europe/Amsterdam")
        let after = try scheduleDate("2026-03-29T01:20:00+01:00")
        let next = try scheduleDate("2026-03-29T03:00:00+02:00")
        #expect(try schedule.nextRun(after: after, jitterSeconds: 0, seed: "c1") == next)
        let jitter = Schedule.jitterOffset(seed: "c1", jitterSeconds: 600)
        #expect(
            try schedule.nextRun(after: after, jitterSeconds: 600, seed: "c1")
                == next.addingTimeInterval(TimeInterval(jitter))
        )
    }

    @Test("a cron schedule that never matches has no next run")
    func cronNever() throws {
        let schedule = try Schedule(cron: "0 0 30 2 *", timeZone: "UTC")
        #expect(try schedule.nextRun(after: scheduleDate("2026-01-01T00:00:00Z"), jitterSeconds: 60, seed: "x") == nil)
    }

    @Test("the cron initializer normalises spacing and rejects a bad expression naming its field")
    func cronValidation() throws {
        #expect(
            try Schedule(cron: " 0  9 * * 1-5 ", timeZone: "UTC") == .cron(expression: "0 9 * * 1-5", timeZone: "UTC")
        )
        #expect {
            try Schedule(cron: "0 25 * * *", timeZone: "UTC")
        } throws: { error in
            (error as? ScheduleError)?.message == "cron field 2 (hour): 25 is outside 0-23"
        }
    }

    @Test("an unknown time zone is an error that names it")
    func unknownTimeZone() {
        let isNamed: (any Error) -> Bool = { error in
            guard let error = error as? ScheduleError else { return false }
            return error.code == .invalidTimeZone && error.field == "time_zone"
                && error.message == "'Mars/Olympus' is not a known IANA time zone"
        }
        #expect(performing: { try Schedule(cron: "0 * * * *", timeZone: "Mars/Olympus") }, throws: isNamed)
        #expect(
            performing: {
                try Schedule.cron(expression: "0 * * * *", timeZone: "Mars/Olympus")
                    .nextRun(after: .now, jitterSeconds: 0, seed: "")
            },
            throws: isNamed
        )
        #expect(
            performing: { try Schedule.cron(expression: "0 * * * *", timeZone: "Mars/Olympus").validate() },
            throws: isNamed
        )
    }

    @Test("a manual schedule never runs by itself")
    func manual() throws {
        #expect(try Schedule.manual.nextRun(after: .now, jitterSeconds: 3600, seed: "c1") == nil)
        try Schedule.manual.validate()
    }

    @Test("jitter is FNV-1a of the seed's UTF-8 bytes, so it is the same in every process")
    func jitterIsStable() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c = 12638187200555641996.
        #expect(Schedule.jitterOffset(seed: "a", jitterSeconds: 1000) == 996)
        // FNV-1a 64 of "" is the offset basis 0xcbf29ce484222325 = 14695981039346656037.
        #expect(Schedule.jitterOffset(seed: "", jitterSeconds: 1000) == 37)
        #expect(
            Schedule.jitterOffset(seed: "conn-42:contacts", jitterSeconds: 3600)
                == Schedule.jitterOffset(seed: "conn-42:contacts", jitterSeconds: 3600)
        )
        #expect(
            Schedule.jitterOffset(seed: "conn-42:contacts", jitterSeconds: 3600)
                != Schedule.jitterOffset(seed: "conn-42:deals", jitterSeconds: 3600)
        )
    }

    @Test("no jitter is asked for with 1 second or less", arguments: [1, 0, -10])
    func noJitter(seconds: Int) {
        #expect(Schedule.jitterOffset(seed: "conn-42:contacts", jitterSeconds: seconds) == 0)
    }

    @Test("a thousand connections on hourly spread over the hour")
    func jitterSpreads() {
        let offsets = (0..<1000).map { Schedule.jitterOffset(seed: "connection-\($0):contacts", jitterSeconds: 3600) }
        #expect(offsets.allSatisfy { (0..<3600).contains($0) })
        // Uniform draws would give about 873 distinct values and 100 per six-minute slot.
        #expect(Set(offsets).count > 800)
        let slots = Dictionary(grouping: offsets, by: { $0 / 360 }).mapValues(\.count)
        #expect(slots.count == 10)
        #expect(slots.values.allSatisfy { $0 >= 60 && $0 <= 140 })
    }
}

extension ScheduleTests {
    @Suite("JSON")
    struct Coding {
        @Test(
            "each case has its API shape and round-trips",
            arguments: [
                (Schedule.interval(minutes: 60), #"{"interval_minutes":60}"#),
                (
                    Schedule.cron(expression: "0 * * * *", timeZone: "Europe/Amsterdam"),
                    #"{"cron":"0 * * * *","time_zone":"Europe/Amsterdam"}"#
                ),
                (Schedule.manual, #"{"manual":true}"#),
            ]
        )
        func roundTrip(schedule: Schedule, json: String) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            #expect(String(decoding: try encoder.encode(schedule), as: UTF8.self) == json)
            #expect(try JSONDecoder().decode(Schedule.self, from: Data(json.utf8)) == schedule)
        }

        @Test("decoding normalises the cron spacing")
        func decodeNormalises() throws {
            let json = #"{"cron": " 0  9 * * MON-FRI", "time_zone": "UTC"}"#
            #expect(
                try JSONDecoder().decode(Schedule.self, from: Data(json.utf8))
                    == .cron(expression: "0 9 * * MON-FRI", timeZone: "UTC")
            )
        }

        @Test(
            "bad input is refused",
            arguments: [
                #"{}"#,
                #"{"interval_minutes": 60, "manual": true}"#,
                #"{"interval_minutes": 60, "time_zone": "UTC"}"#,
                #"{"interval_minutes": 0}"#,
                #"{"interval_minutes": "60"}"#,
                #"{"cron": "0 * * * *"}"#,
                #"{"cron": "0 25 * * *", "time_zone": "UTC"}"#,
                #"{"cron": "0 * * * *", "time_zone": "Mars/Olympus"}"#,
                #"{"manual": false}"#,
                #"{"manual": "yes"}"#,
                #"{"every": 60}"#,
                #"60"#,
            ]
        )
        func badInput(json: String) {
            #expect(throws: DecodingError.self) {
                try JSONDecoder().decode(Schedule.self, from: Data(json.utf8))
            }
        }

        @Test("a bad value is reported at its key with the schedule error underneath")
        func errorContext() {
            let json = #"{"cron": "0 * * * *", "time_zone": "Mars/Olympus"}"#
            #expect {
                try JSONDecoder().decode(Schedule.self, from: Data(json.utf8))
            } throws: { error in
                guard case DecodingError.dataCorrupted(let context) = error else { return false }
                return context.codingPath.map(\.stringValue) == ["time_zone"]
                    && context.debugDescription == "'Mars/Olympus' is not a known IANA time zone"
                    && (context.underlyingError as? ScheduleError)?.code == .invalidTimeZone
            }
        }
    }
}

private func scheduleDate(_ text: String) throws -> Date {
    try Date(text, strategy: .iso8601)
}
