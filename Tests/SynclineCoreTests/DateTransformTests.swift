import Foundation
import SynclineCore
import Testing

@Suite("Transforms: dates and times")
struct DateTransformTests {
    static let zones = [
        "UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Auckland",
    ]

    // MARK: parse_date

    @Test("parse_date reads ISO 8601 forms by default and writes UTC")
    func parseDateISO() throws {
        #expect(try Run.forward("parse_date", "2024-03-10T09:30:00-04:00") == "2024-03-10T13:30:00Z")
        #expect(try Run.forward("parse_date", "2024-03-10T09:30:00.123456+0530") == "2024-03-10T04:00:00.123Z")
        #expect(try Run.forward("parse_date", "2024-03-10 09:30") == "2024-03-10T09:30:00Z")
        #expect(try Run.forward("parse_date", "2024-03-10") == "2024-03-10T00:00:00Z")
        #expect(try Run.forward("parse_date", "2024-03-10t09:30:00z") == "2024-03-10T09:30:00Z")
        #expect(try Run.forward("parse_date", "2024-02-29T23:59:59+01") == "2024-02-29T22:59:59Z")
    }

    @Test("parse_date tries its formats in order and reads wall times in its time zone")
    func parseDateFormats() throws {
        let arguments: [String: JSONValue] = [
            "formats": ["dd.MM.yyyy HH:mm", "MM/dd/yyyy", "iso8601"], "time_zone": "Europe/Berlin",
        ]
        #expect(try Run.forward("parse_date", "10.03.2024 09:30", arguments) == "2024-03-10T08:30:00Z")
        #expect(try Run.forward("parse_date", "07/01/2024", arguments) == "2024-06-30T22:00:00Z")
        #expect(try Run.forward("parse_date", "2024-07-01T12:00:00Z", arguments) == "2024-07-01T12:00:00Z")
        #expect(try Run.forward("parse_date", "2024-07-01T12:00", arguments) == "2024-07-01T10:00:00Z")
    }

    @Test("parse_date writes an offset or a calendar date when asked")
    func parseDateOutputs() throws {
        let zone: JSONValue = "America/New_York"
        #expect(
            try Run.forward("parse_date", "2024-07-01T16:00:00Z", ["time_zone": zone, "output": "offset"])
                == "2024-07-01T12:00:00-04:00"
        )
        #expect(
            try Run.forward("parse_date", "2024-07-01T02:00:00Z", ["time_zone": zone, "output": "date"]) == "2024-06-30"
        )
        #expect(try Run.forward("parse_date", "2024-01-15", ["time_zone": zone, "output": "date"]) == "2024-01-15")
    }

    @Test("parse_date is DST-correct: a skipped wall time moves forward, a repeated one is its first occurrence")
    func parseDateDST() throws {
        let arguments: [String: JSONValue] = ["time_zone": "America/New_York"]
        #expect(try Run.forward("parse_date", "2024-03-10T01:59:00", arguments) == "2024-03-10T06:59:00Z")
        #expect(try Run.forward("parse_date", "2024-03-10T02:30:00", arguments) == "2024-03-10T07:30:00Z")
        #expect(try Run.forward("parse_date", "2024-03-10T03:00:00", arguments) == "2024-03-10T07:00:00Z")
        #expect(try Run.forward("parse_date", "2024-11-03T01:30:00", arguments) == "2024-11-03T05:30:00Z")
        #expect(try Run.forward("parse_date", "2024-11-03T02:30:00", arguments) == "2024-11-03T07:30:00Z")
    }

    @Test("parse_date rejects impossible dates and text that fits no format, naming the formats")
    func parseDateRejects() throws {
        for text in [
            "2024-02-30", "2023-02-29", "2024-13-01", "2024-03-10T24:00", "2024-03-10T09:60", "10/03/2024",
            "2024-03-10Z", "2024-03-10T09:30:00+25:00", "", "2024-3-10",
        ] {
            let error = #expect(throws: TransformError.self) { try Run.forward("parse_date", .string(text)) }
            #expect(error?.code == .invalidInput, "\(text)")
        }
        let error = #expect(throws: TransformError.self) {
            try Run.forward("parse_date", "March 10", ["formats": ["MM/dd/yyyy", "yyyy-MM-dd"]])
        }
        #expect(error?.message == "'March 10' fits none of the formats: MM/dd/yyyy, yyyy-MM-dd")
    }

    @Test("parse_date passes null, rejects numbers, unknown time zones and empty format lists")
    func parseDateEdges() throws {
        #expect(try Run.forward("parse_date", nil) == nil)
        let number = #expect(throws: TransformError.self) { try Run.forward("parse_date", 1_710_077_400) }
        #expect(number?.code == .wrongInputType)
        let zone = #expect(throws: TransformError.self) { try Run.make("parse_date", ["time_zone": "Mars/Olympus"]) }
        #expect(zone?.argument == "time_zone")
        #expect(zone?.message.contains("unknown time zone 'Mars/Olympus'") == true)
        let empty = #expect(throws: TransformError.self) { try Run.make("parse_date", ["formats": []]) }
        #expect(empty?.argument == "formats")
    }

    @Test("parse_date reverses by writing the first format in its time zone")
    func parseDateReverse() throws {
        let arguments: [String: JSONValue] = ["formats": ["MM/dd/yyyy HH:mm"], "time_zone": "America/New_York"]
        #expect(try Run.backward("parse_date", "2024-03-10T13:30:00Z", arguments) == "03/10/2024 09:30")
    }

    @Test("parse_date reverse(forward(x)) == x for generated timestamps in a format that keeps every field")
    func parseDateRoundTripProperty() throws {
        var random = SplitMix64(seed: 17)
        for zone in Self.zones {
            let transform = try Run.make(
                "parse_date",
                ["formats": ["yyyy-MM-dd HH:mm:ss xxx"], "time_zone": .string(zone)]
            )
            let formatter = Self.formatter("yyyy-MM-dd HH:mm:ss xxx", zone: zone)
            let inputs = (0..<60).map { _ in
                JSONValue.string(formatter.string(from: Self.randomDate(&random)))
            }
            let failures = try Run.roundTripFailures(transform, inputs)
            #expect(failures.isEmpty, "\(zone): \(failures.prefix(3))")
        }
    }

    // MARK: format_date

    @Test("format_date writes a timestamp in a pattern, time zone and locale")
    func formatDateFormats() throws {
        #expect(
            try Run.forward(
                "format_date",
                "2024-07-01T12:00:00Z",
                ["format": "dd/MM/yyyy HH:mm", "time_zone": "Europe/London"]
            )
                == "01/07/2024 13:00"
        )
        #expect(
            try Run.forward("format_date", "2024-07-01T12:00:00Z", ["format": "EEE, d MMM yyyy"]) == "Mon, 1 Jul 2024"
        )
        #expect(
            try Run.forward("format_date", "2024-07-01T12:00:00Z", ["format": "d MMMM yyyy", "locale": "fr_FR"])
                == "1 juillet 2024"
        )
        #expect(
            try Run.forward("format_date", "2024-07-01", ["format": "yyyyMMdd", "time_zone": "Asia/Tokyo"])
                == "20240701"
        )
        #expect(
            try Run.forward("format_date", "2024-07-01T12:00:00Z", ["format": "iso8601", "time_zone": "Asia/Kolkata"])
                == "2024-07-01T17:30:00+05:30"
        )
    }

    @Test("format_date rejects text that is not ISO 8601, non-strings and an empty pattern")
    func formatDateEdges() throws {
        #expect(try Run.forward("format_date", nil, ["format": "yyyy"]) == nil)
        let text = #expect(throws: TransformError.self) {
            try Run.forward("format_date", "07/01/2024", ["format": "yyyy"])
        }
        #expect(text?.message == "'07/01/2024' is not an ISO 8601 date or timestamp")
        let number = #expect(throws: TransformError.self) { try Run.forward("format_date", 5, ["format": "yyyy"]) }
        #expect(number?.code == .wrongInputType)
        let empty = #expect(throws: TransformError.self) { try Run.make("format_date", ["format": ""]) }
        #expect(empty?.argument == "format")
        let missing = #expect(throws: TransformError.self) { try Run.make("format_date") }
        #expect(missing?.code == .missingArgument)
    }

    @Test("format_date reverses by reading the pattern back into UTC, and fails on text that does not fit")
    func formatDateReverse() throws {
        let arguments: [String: JSONValue] = ["format": "dd/MM/yyyy HH:mm", "time_zone": "Europe/London"]
        #expect(try Run.backward("format_date", "01/07/2024 13:00", arguments) == "2024-07-01T12:00:00Z")
        let error = #expect(throws: TransformError.self) { try Run.backward("format_date", "2024-07-01", arguments) }
        #expect(error?.code == .invalidInput)
    }

    @Test("format_date reverse(forward(x)) == x for generated UTC timestamps")
    func formatDateRoundTripProperty() throws {
        var random = SplitMix64(seed: 19)
        let utc = Self.formatter("yyyy-MM-dd'T'HH:mm:ss'Z'", zone: "UTC")
        for zone in Self.zones {
            let transform = try Run.make(
                "format_date",
                ["format": "EEEE d MMMM yyyy HH:mm:ss ZZZZZ", "time_zone": .string(zone)]
            )
            let inputs = (0..<60).map { _ in JSONValue.string(utc.string(from: Self.randomDate(&random))) }
            let failures = try Run.roundTripFailures(transform, inputs)
            #expect(failures.isEmpty, "\(zone): \(failures.prefix(3))")
        }
    }

    // MARK: timezone_convert

    @Test("timezone_convert moves a wall time between zones across DST")
    func timezoneConvertConverts() throws {
        let arguments: [String: JSONValue] = ["from": "Europe/London", "to": "America/New_York"]
        #expect(try Run.forward("timezone_convert", "2024-07-01T09:00:00", arguments) == "2024-07-01T04:00:00-04:00")
        #expect(try Run.forward("timezone_convert", "2024-01-15T09:00:00", arguments) == "2024-01-15T04:00:00-05:00")
        // Between the US (10 March) and UK (31 March) changes the gap is four hours.
        #expect(try Run.forward("timezone_convert", "2024-03-20T09:00:00", arguments) == "2024-03-20T05:00:00-04:00")
        #expect(try Run.forward("timezone_convert", "2024-03-20T09:00:00Z", arguments) == "2024-03-20T05:00:00-04:00")
        #expect(
            try Run.forward("timezone_convert", "2024-03-20T09:00:00+01:00", ["to": "UTC"]) == "2024-03-20T08:00:00Z"
        )
        #expect(
            try Run.forward("timezone_convert", "2024-07-01T09:00:00", ["to": "Asia/Kathmandu"])
                == "2024-07-01T14:45:00+05:45"
        )
    }

    @Test("timezone_convert can write the wall time without an offset")
    func timezoneConvertWallTime() throws {
        let arguments: [String: JSONValue] = ["to": "America/Los_Angeles", "include_offset": false]
        #expect(try Run.forward("timezone_convert", "2024-07-01T19:00:00Z", arguments) == "2024-07-01T12:00:00")
        #expect(try Run.backward("timezone_convert", "2024-07-01T12:00:00", arguments) == "2024-07-01T19:00:00")
    }

    @Test("timezone_convert handles the skipped and repeated hours of DST changes")
    func timezoneConvertDST() throws {
        let arguments: [String: JSONValue] = ["from": "America/New_York", "to": "UTC"]
        #expect(try Run.forward("timezone_convert", "2024-03-10T02:30:00", arguments) == "2024-03-10T07:30:00Z")
        #expect(try Run.forward("timezone_convert", "2024-11-03T01:30:00", arguments) == "2024-11-03T05:30:00Z")
        let back: [String: JSONValue] = ["from": "UTC", "to": "America/New_York"]
        #expect(try Run.forward("timezone_convert", "2024-11-03T05:30:00Z", back) == "2024-11-03T01:30:00-04:00")
        #expect(try Run.forward("timezone_convert", "2024-11-03T06:30:00Z", back) == "2024-11-03T01:30:00-05:00")
    }

    @Test("timezone_convert rejects unknown zones, a missing target and non-timestamps")
    func timezoneConvertEdges() throws {
        #expect(try Run.forward("timezone_convert", nil, ["to": "UTC"]) == nil)
        let missing = #expect(throws: TransformError.self) { try Run.make("timezone_convert") }
        #expect(missing?.argument == "to")
        let unknown = #expect(throws: TransformError.self) { try Run.make("timezone_convert", ["to": "Nowhere"]) }
        #expect(unknown?.code == .invalidArgument)
        let text = #expect(throws: TransformError.self) { try Run.forward("timezone_convert", "noon", ["to": "UTC"]) }
        #expect(text?.code == .invalidInput)
        let object = #expect(throws: TransformError.self) { try Run.forward("timezone_convert", [:], ["to": "UTC"]) }
        #expect(object?.message == "expected a string, got an object")
    }

    @Test("timezone_convert reverse(forward(x)) == x for generated timestamps between zone pairs")
    func timezoneConvertRoundTripProperty() throws {
        var random = SplitMix64(seed: 23)
        for _ in 0..<10 {
            let from = random.pick(Self.zones)
            let to = random.pick(Self.zones)
            let transform = try Run.make("timezone_convert", ["from": .string(from), "to": .string(to)])
            let formatter = Self.formatter("yyyy-MM-dd'T'HH:mm:ssXXXXX", zone: from)
            let inputs = (0..<40).map { _ in JSONValue.string(formatter.string(from: Self.randomDate(&random))) }
            let failures = try Run.roundTripFailures(transform, inputs)
            #expect(failures.isEmpty, "\(from)->\(to): \(failures.prefix(3))")
        }
    }

    // MARK: Unix time

    @Test("unix_seconds_to_iso and unix_millis_to_iso write UTC timestamps, milliseconds only when present")
    func unixToISO() throws {
        #expect(try Run.forward("unix_seconds_to_iso", 0) == "1970-01-01T00:00:00Z")
        #expect(try Run.forward("unix_seconds_to_iso", 1_710_077_400) == "2024-03-10T13:30:00Z")
        #expect(try Run.forward("unix_seconds_to_iso", .number(1_710_077_400.5)) == "2024-03-10T13:30:00.500Z")
        #expect(try Run.forward("unix_seconds_to_iso", "1710077400") == "2024-03-10T13:30:00Z")
        #expect(try Run.forward("unix_seconds_to_iso", -86_400) == "1969-12-31T00:00:00Z")
        #expect(try Run.forward("unix_millis_to_iso", 1_710_077_400_250) == "2024-03-10T13:30:00.250Z")
        #expect(try Run.forward("unix_millis_to_iso", -1) == "1969-12-31T23:59:59.999Z")
        #expect(
            try Run.forward("unix_seconds_to_iso", 1_710_077_400, ["time_zone": "America/New_York"])
                == "2024-03-10T09:30:00-04:00"
        )
    }

    @Test("iso_to_unix_seconds and iso_to_unix_millis read offsets and wall times in their time zone")
    func isoToUnix() throws {
        #expect(try Run.forward("iso_to_unix_seconds", "1970-01-01T00:00:00Z") == 0)
        #expect(try Run.forward("iso_to_unix_seconds", "2024-03-10T09:30:00-04:00") == 1_710_077_400)
        #expect(try Run.forward("iso_to_unix_seconds", "2024-03-10T13:30:00.250Z") == .number(1_710_077_400.25))
        #expect(try Run.forward("iso_to_unix_millis", "2024-03-10T13:30:00.250Z") == 1_710_077_400_250)
        #expect(
            try Run.forward("iso_to_unix_seconds", "2024-03-10T09:30:00", ["time_zone": "America/New_York"])
                == 1_710_077_400
        )
        #expect(try Run.forward("iso_to_unix_millis", "0001-01-01T00:00:00Z") == -62_135_596_800_000)
    }

    @Test("Unix time transforms make blank text null and reject booleans, words and years past 9999")
    func unixEdges() throws {
        #expect(try Run.forward("unix_seconds_to_iso", "") == nil)
        #expect(try Run.forward("unix_millis_to_iso", nil) == nil)
        #expect(try Run.forward("iso_to_unix_seconds", nil) == nil)
        let flag = #expect(throws: TransformError.self) { try Run.forward("unix_seconds_to_iso", true) }
        #expect(flag?.code == .wrongInputType)
        let word = #expect(throws: TransformError.self) { try Run.forward("unix_millis_to_iso", "now") }
        #expect(word?.code == .invalidInput)
        let far = #expect(throws: TransformError.self) { try Run.forward("unix_seconds_to_iso", 1_710_077_400_000) }
        #expect(far?.message == "1710077400000 seconds is outside years 1 to 9999")
        let text = #expect(throws: TransformError.self) { try Run.forward("iso_to_unix_millis", "yesterday") }
        #expect(text?.code == .invalidInput)
        let number = #expect(throws: TransformError.self) { try Run.forward("iso_to_unix_millis", 5) }
        #expect(number?.code == .wrongInputType)
    }

    @Test("Unix time and ISO 8601 convert back and forth for generated instants")
    func unixRoundTripProperty() throws {
        var random = SplitMix64(seed: 29)
        let seconds = (0..<300).map { _ in
            JSONValue.number(Double(Int64.random(in: -62_135_596_800...253_402_300_799, using: &random)))
        }
        let millis = (0..<300).map { _ in
            JSONValue.number(Double(Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &random)))
        }
        #expect(try Run.roundTripFailures(Run.make("unix_seconds_to_iso"), seconds).isEmpty)
        #expect(try Run.roundTripFailures(Run.make("unix_millis_to_iso"), millis).isEmpty)
        let isoTexts = try millis.map { try Run.forward("unix_millis_to_iso", $0) }
        #expect(try Run.roundTripFailures(Run.make("iso_to_unix_millis"), isoTexts).isEmpty)
        let zoned = try Run.make("unix_seconds_to_iso", ["time_zone": "Australia/Lord_Howe"])
        #expect(try Run.roundTripFailures(zoned, Array(seconds.prefix(100))).isEmpty)
    }

    @Test("UTC timestamps agree with Foundation's formatter for generated instants")
    func agreesWithFoundation() throws {
        var random = SplitMix64(seed: 31)
        let formatter = Self.formatter("yyyy-MM-dd'T'HH:mm:ss'Z'", zone: "UTC")
        for _ in 0..<300 {
            let date = Self.randomDate(&random)
            let expected = formatter.string(from: date)
            #expect(try Run.forward("unix_seconds_to_iso", .number(date.timeIntervalSince1970)) == .string(expected))
        }
    }

    /// A whole-second instant between 1900 and 2100.
    static func randomDate(_ random: inout SplitMix64) -> Date {
        Date(timeIntervalSince1970: Double(Int64.random(in: -2_208_988_800...4_102_444_800, using: &random)))
    }

    static func formatter(_ pattern: String, zone: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.dateFormat = pattern
        return formatter
    }
}
