import Foundation

/// ISO 8601 timestamps as the date transforms read and write them. Parsed and printed by hand, so the accepted
/// forms are exactly those documented on every platform; wall times without an offset go through Foundation's
/// calendar in the given time zone, which makes them DST-correct.
enum ISOTimestamp {
    /// The fields of a parsed timestamp; `offsetSeconds` is nil when the text had no zone designator.
    struct Fields: Sendable, Hashable {
        var year: Int
        var month: Int
        var day: Int
        var hour = 0
        var minute = 0
        var second = 0
        var millisecond = 0
        var offsetSeconds: Int?
        var hasTime = false
    }

    /// The earliest and latest instants the transforms print: years 1 to 9999.
    static let validMillis: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    /// Parses `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:MM`, `:SS`, `.fraction` (kept to the
    /// millisecond) and `Z` or `±HH:MM` / `±HHMM` / `±HH` (or `±HH:MM:SS`, which `format` writes for the
    /// historical local mean time offsets of some zones). Returns nil for anything else or an impossible date.
    static func parse(_ text: String) -> Fields? {
        text.withBytes(parse)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Fields? {
        var scanner = Scanner(bytes)
        guard let year = scanner.digits(4), scanner.take(UInt8(ascii: "-")),
            let month = scanner.digits(2), scanner.take(UInt8(ascii: "-")),
            let day = scanner.digits(2)
        else { return nil }
        var fields = Fields(year: year, month: month, day: day)
        if scanner.takeAny(UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")) {
            guard let hour = scanner.digits(2), scanner.take(UInt8(ascii: ":")), let minute = scanner.digits(2)
            else { return nil }
            fields.hour = hour
            fields.minute = minute
            fields.hasTime = true
            if scanner.take(UInt8(ascii: ":")) {
                guard let second = scanner.digits(2) else { return nil }
                fields.second = second
                if scanner.takeAny(UInt8(ascii: "."), UInt8(ascii: ",")) {
                    guard let fraction = scanner.fraction() else { return nil }
                    fields.millisecond = fraction
                }
            }
            if scanner.takeAny(UInt8(ascii: "Z"), UInt8(ascii: "z")) {
                fields.offsetSeconds = 0
            } else if let sign = scanner.sign() {
                guard let hours = scanner.digits(2) else { return nil }
                var minutes = 0
                var seconds = 0
                if scanner.take(UInt8(ascii: ":")) {
                    guard let value = scanner.digits(2) else { return nil }
                    minutes = value
                    if scanner.take(UInt8(ascii: ":")) {
                        guard let value = scanner.digits(2) else { return nil }
                        seconds = value
                    }
                } else if let value = scanner.digits(2) {
                    minutes = value
                }
                guard hours <= 23, minutes <= 59, seconds <= 59 else { return nil }
                fields.offsetSeconds = sign * (hours * 3600 + minutes * 60 + seconds)
            }
        }
        guard scanner.atEnd, isValid(fields) else { return nil }
        return fields
    }

    /// The instant `fields` names, in milliseconds since 1970; a wall time without offset is read in `zone`
    /// (a time skipped by a DST change moves forward by the gap; a repeated time means its first occurrence).
    static func millis(of fields: Fields, in zone: TimeZone) -> Int64? {
        if let offset = fields.offsetSeconds {
            let days = Int64(daysFromCivil(year: fields.year, month: fields.month, day: fields.day))
            let seconds = days * 86_400 + Int64(fields.hour * 3600 + fields.minute * 60 + fields.second - offset)
            return seconds * 1000 + Int64(fields.millisecond)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(
            year: fields.year,
            month: fields.month,
            day: fields.day,
            hour: fields.hour,
            minute: fields.minute,
            second: fields.second
        )
        guard let date = calendar.date(from: components) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1000).rounded()) + Int64(fields.millisecond)
    }

    /// The text of the instant in `zone`: `2024-03-10T09:30:00-04:00`, `Z` for a zero offset, milliseconds
    /// only when not zero. Nil outside years 1 to 9999.
    static func format(millis: Int64, in zone: TimeZone = utc) -> String? {
        guard validMillis.contains(millis) else { return nil }
        // UTC, the usual zone, needs no lookup: asking TimeZone for an offset was a visible cost per mapped record.
        let offset =
            isUTC(zone) ? 0 : zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(millis) / 1000))
        return format(millis: millis, offsetSeconds: offset)
    }

    /// `format(millis:in:)` in UTC, for callers that know their zone is UTC when configured: even reading a
    /// zone's identifier was a cost per record.
    static func formatUTC(millis: Int64) -> String? {
        guard validMillis.contains(millis) else { return nil }
        return format(millis: millis, offsetSeconds: 0)
    }

    /// Whether `zone` is UTC by name, so formatting needs no offset lookup.
    static func isUTC(_ zone: TimeZone) -> Bool {
        zone.identifier == "UTC" || zone.identifier == "GMT"
    }

    /// `format` with the zone's offset at that instant known. Writes the bytes into one buffer: building the
    /// text from padded pieces allocated several strings per timestamp.
    private static func format(millis: Int64, offsetSeconds offset: Int) -> String {
        return String(unsafeUninitializedCapacity: longestForm) { buffer in
            write(millis: millis, offsetSeconds: offset, into: buffer)
        }
    }

    /// The most bytes `format` writes: 10000-03-10T09:30:00.250+05:30:00.
    private static let longestForm = 33

    /// `formatUTC(millis:)`, answering with `text` itself when that is already how the instant is written: most
    /// providers send UTC timestamps in this form, and allocating an equal string was most of `parse_date`'s cost.
    static func formatUTC(millis: Int64, reusing text: String) -> String? {
        guard validMillis.contains(millis) else { return nil }
        let same = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: longestForm) { buffer in
            let count = write(millis: millis, offsetSeconds: 0, into: buffer)
            return text.withBytes { bytes in
                bytes.count == count && (0..<count).allSatisfy { bytes[$0] == buffer[$0] }
            }
        }
        return same ? text : format(millis: millis, offsetSeconds: 0)
    }

    /// Writes the text `format` returns into `buffer` (at least `longestForm` bytes) and returns its length.
    private static func write(millis: Int64, offsetSeconds offset: Int, into buffer: UnsafeMutableBufferPointer<UInt8>)
        -> Int
    {
        let (days, dayMillis) = floorDivision(millis + Int64(offset) * 1000, 86_400_000)
        let (year, month, day) = civil(fromDays: Int(days))
        let secondOfDay = Int(dayMillis / 1000)
        let millisecond = Int(dayMillis % 1000)
        var out = ByteWriter(buffer)
        out.number(year, width: 4)
        out.put(UInt8(ascii: "-"))
        out.number(month, width: 2)
        out.put(UInt8(ascii: "-"))
        out.number(day, width: 2)
        out.put(UInt8(ascii: "T"))
        out.number(secondOfDay / 3600, width: 2)
        out.put(UInt8(ascii: ":"))
        out.number(secondOfDay / 60 % 60, width: 2)
        out.put(UInt8(ascii: ":"))
        out.number(secondOfDay % 60, width: 2)
        if millisecond != 0 {
            out.put(UInt8(ascii: "."))
            out.number(millisecond, width: 3)
        }
        if offset == 0 {
            out.put(UInt8(ascii: "Z"))
        } else {
            let magnitude = abs(offset)
            out.put(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            out.number(magnitude / 3600, width: 2)
            out.put(UInt8(ascii: ":"))
            out.number(magnitude / 60 % 60, width: 2)
            if magnitude % 60 != 0 {
                out.put(UInt8(ascii: ":"))
                out.number(magnitude % 60, width: 2)
            }
        }
        return out.count
    }

    /// Appends bytes to a buffer. A struct with inlined methods: nested functions capturing the count made
    /// writing 20 bytes cost about a thousand instructions (callgrind).
    private struct ByteWriter {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        var count = 0

        init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

        @inline(__always)
        mutating func put(_ byte: UInt8) {
            buffer[count] = byte
            count += 1
        }

        /// `value` (not negative) in at least `width` digits (a zone's offset can move year 9999 into 10000).
        @inline(__always)
        mutating func number(_ value: Int, width: Int) {
            if width == 2, value < 100 {
                put(UInt8(ascii: "0") + UInt8(value / 10))
                put(UInt8(ascii: "0") + UInt8(value % 10))
                return
            }
            var digits = width
            var rest = value
            for _ in 0..<width { rest /= 10 }
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            var remaining = value
            for position in stride(from: count + digits - 1, through: count, by: -1) {
                buffer[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            count += digits
        }
    }

    /// The text of the wall time of the instant in `zone`, without an offset: `2024-03-10T09:30:00`.
    static func formatWallTime(millis: Int64, in zone: TimeZone) -> String? {
        guard let text = format(millis: millis, in: zone) else { return nil }
        let offsetStart = text.lastIndex { $0 == "Z" || $0 == "+" || $0 == "-" }
        return offsetStart.map { String(text[..<$0]) }
    }

    /// The calendar date of the instant in `zone`: `2024-03-10`.
    static func formatDate(millis: Int64, in zone: TimeZone) -> String? {
        guard let text = format(millis: millis, in: zone) else { return nil }
        return String(text.prefix(10))
    }

    static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        // Count years from March so the leap day is the last day of the counted year.
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func isValid(_ fields: Fields) -> Bool {
        guard (1...9999).contains(fields.year), (1...12).contains(fields.month), fields.day >= 1,
            fields.hour <= 23, fields.minute <= 59, fields.second <= 59
        else { return false }
        return fields.day <= daysIn(month: fields.month, year: fields.year)
    }

    /// The length of a month, computed: a table as an array literal allocated an array per parsed timestamp.
    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
        return (quotient, value - quotient * divisor)
    }

    /// A cursor over the bytes of the text.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var atEnd: Bool { position == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func takeAny(_ first: UInt8, _ second: UInt8, _ third: UInt8? = nil) -> Bool {
            take(first) || take(second) || third.map { take($0) } ?? false
        }

        mutating func sign() -> Int? {
            if take(UInt8(ascii: "+")) { return 1 }
            if take(UInt8(ascii: "-")) { return -1 }
            return nil
        }

        /// Exactly `count` ASCII digits.
        mutating func digits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[position..<position + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += count
            return value
        }

        /// One or more digits of a fraction of a second, as milliseconds (truncated).
        mutating func fraction() -> Int? {
            var millis = 0
            var count = 0
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                if count < 3 { millis = millis * 10 + Int(bytes[position] - UInt8(ascii: "0")) }
                count += 1
                position += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 3) { millis *= 10 }
            return millis
        }
    }
}
