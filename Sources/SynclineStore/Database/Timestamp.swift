import Foundation

/// Times are stored as milliseconds since 1970 in BIGINT columns: the same type, ordering and precision
/// on SQLite and PostgreSQL, and cheap to compare in queue queries.
enum Timestamp {
    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    static func date(_ millis: Int64?) -> Date? {
        millis.map { date($0) }
    }

    static func millis(_ date: Date?) -> Int64? {
        date.map { millis($0) }
    }
}

extension Timestamp {
    /// The current time at the precision the database keeps, so a value read back equals the one written.
    static func now() -> Date {
        date(millis(Date()))
    }
}
