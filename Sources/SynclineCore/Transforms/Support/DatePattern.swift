import Foundation

/// A date format for parsing and printing: either the keyword `iso8601` or a Unicode date pattern
/// (`MM/dd/yyyy HH:mm`) read with a non-lenient formatter in a fixed time zone and locale.
struct DatePattern: Sendable, Hashable {
    let pattern: String
    let timeZone: TimeZone
    let locale: Locale
    /// Decided once: lowercasing the pattern on every parse was a cost per record.
    let isISO8601: Bool

    init(pattern: String, timeZone: TimeZone, locale: Locale) {
        self.pattern = pattern
        self.timeZone = timeZone
        self.locale = locale
        self.isISO8601 = pattern.lowercased() == "iso8601"
    }

    /// The instant in `text`, in milliseconds since 1970, or nil when the text does not fit the pattern.
    func parse(_ text: String) -> Int64? {
        if isISO8601 {
            return ISOTimestamp.parse(text).flatMap { ISOTimestamp.millis(of: $0, in: timeZone) }
        }
        guard let date = formatter().date(from: text) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The instant printed with the pattern, nil outside years 1 to 9999.
    func format(millis: Int64) -> String? {
        guard ISOTimestamp.validMillis.contains(millis) else { return nil }
        if isISO8601 { return ISOTimestamp.format(millis: millis, in: timeZone) }
        return formatter().string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    /// A new formatter per use: formatters are mutable reference types, and transforms share no state.
    private func formatter() -> DateFormatter {
        let formatter = DateFormatter()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        formatter.calendar = calendar
        formatter.locale = locale
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        formatter.isLenient = false
        return formatter
    }
}
