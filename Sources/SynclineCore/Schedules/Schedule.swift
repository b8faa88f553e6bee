import Foundation

/// When a sync runs by itself: every N minutes, at cron times in a named time zone, or only when someone
/// asks. One value the scheduler, the store and the API all share, so "hourly" means the same everywhere.
///
/// The cases can be built directly (decoding from storage does not repeat the work), so `nextRun` checks
/// again; build from input with the throwing initializers, or `Decodable`, which validate.
public enum Schedule: Sendable, Hashable {
    /// Every `minutes` minutes after the previous run.
    case interval(minutes: Int)
    /// At the minutes a five-field cron `expression` matches, in the wall-clock time of `timeZone`
    /// (an IANA name such as "Europe/Amsterdam"). DST handling is described on `CronExpression`.
    case cron(expression: String, timeZone: String)
    /// Never runs by itself; only "Sync now", the API or a webhook starts it.
    case manual

    /// The intervals accepted: one minute to 366 days, which also keeps the arithmetic far from overflow.
    public static let intervalMinutes = 1...527_040

    /// A checked interval schedule.
    public init(intervalMinutes minutes: Int) throws(ScheduleError) {
        try Self.checkInterval(minutes)
        self = .interval(minutes: minutes)
    }

    /// A checked cron schedule; the expression is stored with its fields separated by single spaces.
    public init(cron expression: String, timeZone identifier: String) throws(ScheduleError) {
        let parsed = try CronExpression(parsing: expression)
        _ = try Self.timeZone(named: identifier)
        self = .cron(expression: parsed.description, timeZone: identifier)
    }

    /// Throws the `ScheduleError` that `nextRun` would throw for this schedule.
    public func validate() throws(ScheduleError) {
        switch self {
        case .interval(let minutes):
            try Self.checkInterval(minutes)
        case .cron(let expression, let identifier):
            _ = try CronExpression(parsing: expression)
            _ = try Self.timeZone(named: identifier)
        case .manual:
            break
        }
    }

    /// When the run after one at (or finishing at) `date` is due, or nil for a manual schedule and for a
    /// cron expression that never matches.
    ///
    /// `jitterSeconds` spreads load: a fixed offset in `0..<jitterSeconds`, taken from `seed` (a connection
    /// id and entity type, say), is added to the time. A thousand connections on "hourly" then start at a
    /// thousand moments of the hour, and each keeps its own moment across restarts. Keep the jitter below
    /// the schedule's period, or a run may land after the following occurrence.
    public func nextRun(after date: Date, jitterSeconds: Int, seed: String) throws(ScheduleError) -> Date? {
        let jitter = TimeInterval(Self.jitterOffset(seed: seed, jitterSeconds: jitterSeconds))
        switch self {
        case .interval(let minutes):
            try Self.checkInterval(minutes)
            return date.addingTimeInterval(TimeInterval(minutes * 60) + jitter)
        case .cron(let expression, let identifier):
            let cron = try CronExpression(parsing: expression)
            let zone = try Self.timeZone(named: identifier)
            return cron.nextDate(after: date, in: zone)?.addingTimeInterval(jitter)
        case .manual:
            return nil
        }
    }

    /// The jitter for `seed`: 64-bit FNV-1a over its UTF-8 bytes, modulo `jitterSeconds` (0 when that is 1 or
    /// less). Not Swift's `Hasher`, which is seeded afresh in every process.
    public static func jitterOffset(seed: String, jitterSeconds: Int) -> Int {
        guard jitterSeconds > 1 else { return 0 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(jitterSeconds))
    }

    private static func checkInterval(_ minutes: Int) throws(ScheduleError) {
        guard intervalMinutes.contains(minutes) else {
            throw ScheduleError(
                .invalidInterval,
                field: "interval_minutes",
                "interval of \(minutes) minutes is outside \(intervalMinutes.lowerBound)-\(intervalMinutes.upperBound)"
            )
        }
    }

    private static func timeZone(named identifier: String) throws(ScheduleError) -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else {
            throw ScheduleError(.invalidTimeZone, field: "time_zone", "'\(identifier)' is not a known IANA time zone")
        }
        return zone
    }
}

/// The API and storage shape: exactly one of `{"interval_minutes": 60}`,
/// `{"cron": "0 * * * *", "time_zone": "Europe/Amsterdam"}` and `{"manual": true}`. Decoding validates, and
/// reports a bad value as `DecodingError.dataCorrupted` at its key, with the `ScheduleError` underneath.
extension Schedule: Codable {
    private enum CodingKeys: String, CodingKey {
        case intervalMinutes = "interval_minutes"
        case cron
        case timeZone = "time_zone"
        case manual
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kinds = [CodingKeys.intervalMinutes, .cron, .manual].filter { container.contains($0) }
        guard kinds.count == 1, let kind = kinds.first else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: container.codingPath,
                    debugDescription: "a schedule needs exactly one of interval_minutes, cron and manual"
                )
            )
        }
        if kind != .cron && container.contains(.timeZone) {
            throw DecodingError.dataCorruptedError(
                forKey: .timeZone,
                in: container,
                debugDescription: "time_zone only applies to a cron schedule"
            )
        }
        do {
            switch kind {
            case .intervalMinutes:
                self = try Schedule(intervalMinutes: container.decode(Int.self, forKey: .intervalMinutes))
            case .cron:
                let expression = try container.decode(String.self, forKey: .cron)
                let identifier = try container.decode(String.self, forKey: .timeZone)
                self = try Schedule(cron: expression, timeZone: identifier)
            default:
                guard try container.decode(Bool.self, forKey: .manual) else {
                    throw ScheduleError(.invalidShape, field: "manual", "manual must be true when present")
                }
                self = .manual
            }
        } catch let error as ScheduleError {
            let key = error.field == "time_zone" ? CodingKeys.timeZone : kind
            throw DecodingError.dataCorrupted(
                .init(codingPath: container.codingPath + [key], debugDescription: error.message, underlyingError: error)
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .interval(let minutes):
            try container.encode(minutes, forKey: .intervalMinutes)
        case .cron(let expression, let identifier):
            try container.encode(expression, forKey: .cron)
            try container.encode(identifier, forKey: .timeZone)
        case .manual:
            try container.encode(true, forKey: .manual)
        }
    }
}

/// Why a schedule cannot be used, naming the field at fault ("cron field 2 (hour): 25 is outside 0-23") so
/// the sync editor and the API's 422 can point at it.
// Kept beside `Schedule` for now; it belongs in `Errors/ScheduleError.swift` with the other errors.
public struct ScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; compared, never switched on exhaustively, so new kinds can be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidCron = "invalid_cron"
            case invalidTimeZone = "invalid_time_zone"
            case invalidInterval = "invalid_interval"
            case invalidShape = "invalid_shape"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The cron expression does not parse.
        public static var invalidCron: Self { .init(.invalidCron) }
        /// The time zone is not a name Foundation knows.
        public static var invalidTimeZone: Self { .init(.invalidTimeZone) }
        /// The interval is zero, negative or absurdly long.
        public static var invalidInterval: Self { .init(.invalidInterval) }
        /// The JSON form is not one of the accepted shapes.
        public static var invalidShape: Self { .init(.invalidShape) }

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The field at fault: a cron field ("minute", "day-of-week"), "cron" for the whole expression,
    /// "time_zone", "interval_minutes" or "manual".
    public let field: String
    /// What went wrong, in words for the person editing the schedule.
    public let message: String

    public init(_ code: Code, field: String, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { message }
}
