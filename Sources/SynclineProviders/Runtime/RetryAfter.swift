import Foundation

/// Reads how long a provider asks us to wait: `Retry-After` as seconds or an HTTP date, or a reset header
/// given as seconds to wait or as a Unix time.
enum RetryAfter {
    static func delay(headers: [String: String], resetHeader: String?, now: Date) -> Duration? {
        if let value = headers["retry-after"]?.trimmingCharacters(in: .whitespaces) {
            if let seconds = Double(value), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
            if let date = httpDate(value) { return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000)) }
        }
        if let name = resetHeader?.lowercased(), let value = headers[name].flatMap({ Double($0) }) {
            // Large values are Unix times (seconds); small ones are seconds to wait.
            let seconds = value > 1_000_000_000 ? value - now.timeIntervalSince1970 : value
            return .milliseconds(Int64(max(0, seconds) * 1000))
        }
        return nil
    }

    /// RFC 9110 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
