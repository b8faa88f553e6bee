import Foundation

/// Transforms over dates and times. Timestamps are ISO 8601 text (`2024-03-10T09:30:00Z`, `...-04:00`, or a
/// wall time without offset read in the transform's time zone); output is UTC with `Z` unless said otherwise,
/// with milliseconds only when they are not zero. Time zones are IANA names (`Europe/London`).
extension TransformDefinition {
    static let parseDate = TransformDefinition(
        spec: TransformSpec(
            name: "parse_date",
            summary: "Reads a date or timestamp written in one of several formats and writes it as ISO 8601. "
                + "Formats are Unicode date patterns (`MM/dd/yyyy`, `dd.MM.yyyy HH:mm`) or `iso8601`; "
                + "the first that fits wins.",
            input: "string",
            arguments: [
                ArgumentSpec("formats", .stringList, default: ["iso8601"], "The formats to try, in order."),
                ArgumentSpec(
                    "time_zone",
                    .string,
                    default: "UTC",
                    "The IANA time zone of inputs without an offset, and of `offset` and `date` output."
                ),
                ArgumentSpec(
                    "output",
                    .string,
                    default: "utc",
                    choices: ["utc", "offset", "date"],
                    "`utc`: timestamp in UTC; `offset`: timestamp with the offset of `time_zone`; "
                        + "`date`: the calendar date in `time_zone`."
                ),
            ],
            example: .init(
                input: "03/10/2024 09:30",
                arguments: ["formats": ["MM/dd/yyyy HH:mm"], "time_zone": "America/New_York"],
                output: "2024-03-10T13:30:00Z"
            ),
            reversibility: .conditional(
                "Writes the ISO 8601 timestamp in the first format, in `time_zone`. Exact for text as the first "
                    + "format writes it, unless `output` is `date` and the format has a time, or the format writes "
                    + "an offset to the minute when the zone's offset then had seconds (local mean time, before "
                    + "1973 at the latest)."
            )
        ),
        factory: { arguments in
            let zone = try timeZone(arguments, "time_zone")
            let locale = Locale(identifier: "en_US_POSIX")
            let patterns = try arguments.strings("formats").map {
                DatePattern(pattern: $0, timeZone: zone, locale: locale)
            }
            guard !patterns.isEmpty, patterns.allSatisfy({ !$0.pattern.isEmpty }) else {
                throw arguments.invalid("formats", "give at least one non-empty format")
            }
            let output = try arguments.string("output")
            return Transform.Implementation(
                forward: { value, _ in
                    let text = try value.requireString()
                    guard let millis = firstParse(text, patterns) else {
                        let names = patterns.map(\.pattern).joined(separator: ", ")
                        throw TransformError(.invalidInput, "'\(text)' fits none of the formats: \(names)")
                    }
                    let result: String? =
                        switch output {
                        case "offset": ISOTimestamp.format(millis: millis, in: zone)
                        case "date": ISOTimestamp.formatDate(millis: millis, in: zone)
                        default: ISOTimestamp.formatUTC(millis: millis, reusing: text)
                        }
                    return .string(try outOfRangeCheck(result, text))
                },
                backward: { value, _ in
                    let millis = try instant(value, in: zone)
                    return .string(try outOfRangeCheck(patterns[0].format(millis: millis), value.stringValue ?? ""))
                }
            )
        }
    )

    static let formatDate = TransformDefinition(
        spec: TransformSpec(
            name: "format_date",
            summary: "Writes an ISO 8601 date or timestamp in a Unicode date pattern (`dd/MM/yyyy`, "
                + "`EEE, d MMM yyyy HH:mm`) or `iso8601`, in a time zone.",
            input: "string (ISO 8601)",
            arguments: [
                ArgumentSpec("format", .string, required: true, "The pattern of the output."),
                ArgumentSpec(
                    "time_zone",
                    .string,
                    default: "UTC",
                    "The IANA time zone of the output, and of inputs without an offset."
                ),
                ArgumentSpec("locale", .string, default: "en_US_POSIX", "The locale of month and day names."),
            ],
            example: .init(
                input: "2024-03-10T13:30:00Z",
                arguments: ["format": "dd/MM/yyyy HH:mm", "time_zone": "Europe/London"],
                output: "10/03/2024 13:30"
            ),
            reversibility: .conditional(
                "Reads the text with the same pattern and writes ISO 8601 in UTC. Exact for UTC timestamps as "
                    + "this transform writes them (`Z`, milliseconds only when not zero) when the pattern keeps "
                    + "every field of the instant, the offset included in a zone whose DST repeats an hour."
            )
        ),
        factory: { arguments in
            let zone = try timeZone(arguments, "time_zone")
            let format = try arguments.string("format")
            guard !format.isEmpty else { throw arguments.invalid("format", "must not be empty") }
            let pattern = DatePattern(
                pattern: format,
                timeZone: zone,
                locale: Locale(identifier: try arguments.string("locale"))
            )
            return Transform.Implementation(
                forward: { value, _ in
                    let millis = try instant(value, in: zone)
                    return .string(try outOfRangeCheck(pattern.format(millis: millis), value.stringValue ?? ""))
                },
                backward: { value, _ in
                    let text = try value.requireString()
                    guard let millis = pattern.parse(text) else {
                        throw TransformError(.invalidInput, "'\(text)' does not fit the format \(format)")
                    }
                    return .string(try outOfRangeCheck(ISOTimestamp.format(millis: millis), text))
                }
            )
        }
    )

    static let timezoneConvert = TransformDefinition(
        spec: TransformSpec(
            name: "timezone_convert",
            summary: "Expresses a timestamp in another time zone, DST-correct: a wall time without offset is read "
                + "in `from` (a time skipped by DST moves forward by the gap, a repeated one is its first "
                + "occurrence), a timestamp with an offset keeps its instant.",
            input: "string (ISO 8601)",
            arguments: [
                ArgumentSpec("from", .string, default: "UTC", "The IANA time zone of inputs without an offset."),
                ArgumentSpec("to", .string, required: true, "The IANA time zone of the output."),
                ArgumentSpec(
                    "include_offset",
                    .boolean,
                    default: true,
                    "Write the offset (`2024-07-01T04:00:00-04:00`); false writes the wall time alone."
                ),
            ],
            example: .init(
                input: "2024-07-01T09:00:00",
                arguments: ["from": "Europe/London", "to": "America/New_York"],
                output: "2024-07-01T04:00:00-04:00"
            ),
            reversibility: .conditional(
                "Converts from `to` back to `from`. Exact for timestamps as the reverse writes them: with the "
                    + "offset of `from` (`Z` for zero, milliseconds only when not zero), or with `include_offset` "
                    + "false, wall times in `from` that DST neither skips there nor repeats in `to`."
            )
        ),
        factory: { arguments in
            let source = try timeZone(arguments, "from")
            let target = try timeZone(arguments, "to")
            let includeOffset = try arguments.bool("include_offset")
            let convert: @Sendable (TimeZone, TimeZone) -> (TransformFunction) = {
                input,
                output in
                { value, _ in
                    let millis = try instant(value, in: input)
                    let text =
                        includeOffset
                        ? ISOTimestamp.format(millis: millis, in: output)
                        : ISOTimestamp.formatWallTime(millis: millis, in: output)
                    return .string(try outOfRangeCheck(text, value.stringValue ?? ""))
                }
            }
            return Transform.Implementation(forward: convert(source, target), backward: convert(target, source))
        }
    )

    static let unixSecondsToISO = epochDefinition(
        name: "unix_seconds_to_iso",
        unitMillis: 1000,
        toISO: true,
        example: .init(input: 1_710_077_400, output: "2024-03-10T13:30:00Z")
    )

    static let isoToUnixSeconds = epochDefinition(
        name: "iso_to_unix_seconds",
        unitMillis: 1000,
        toISO: false,
        example: .init(input: "2024-03-10T09:30:00-04:00", output: 1_710_077_400)
    )

    static let unixMillisToISO = epochDefinition(
        name: "unix_millis_to_iso",
        unitMillis: 1,
        toISO: true,
        example: .init(input: 1_710_077_400_250, output: "2024-03-10T13:30:00.250Z")
    )

    static let isoToUnixMillis = epochDefinition(
        name: "iso_to_unix_millis",
        unitMillis: 1,
        toISO: false,
        example: .init(input: "2024-03-10T13:30:00.250Z", output: 1_710_077_400_250)
    )

    /// The four conversions between Unix time (seconds or milliseconds since 1970) and ISO 8601, each
    /// the reverse of its partner.
    private static func epochDefinition(
        name: String,
        unitMillis: Int64,
        toISO: Bool,
        example: TransformSpec.Example
    ) -> TransformDefinition {
        let unit = unitMillis == 1 ? "milliseconds" : "seconds"
        let zoneArgument = ArgumentSpec(
            "time_zone",
            .string,
            default: "UTC",
            toISO
                ? "The IANA time zone whose offset the output carries."
                : "The IANA time zone of inputs without an offset."
        )
        let spec = TransformSpec(
            name: name,
            summary: toISO
                ? "Turns Unix time in \(unit) since 1970-01-01T00:00:00Z into an ISO 8601 timestamp "
                    + "(millisecond precision). Numeric strings are accepted; an empty string becomes null."
                : "Turns an ISO 8601 timestamp into Unix time in \(unit) since 1970-01-01T00:00:00Z"
                    + (unitMillis == 1 ? "." : " (with a fraction when it has milliseconds)."),
            input: toISO ? "number or numeric string" : "string (ISO 8601)",
            arguments: [zoneArgument],
            example: example,
            reversibility: .conditional(
                toISO
                    ? "Turns the timestamp back into \(unit). Exact for numbers of whole milliseconds in years 1 "
                        + "to 9999; a numeric string comes back as a number."
                    : "Turns \(unit) back into ISO 8601 in `time_zone`. Exact for timestamps as it writes them: "
                        + "with the offset of `time_zone` (`Z` for zero), milliseconds only when not zero."
            )
        )
        return TransformDefinition(spec: spec) { arguments in
            let zone = try timeZone(arguments, "time_zone")
            let isUTC = ISOTimestamp.isUTC(zone)
            let fromEpoch: TransformFunction = { value, _ in
                if case .bool = value { throw value.wrongType(expected: "a number") }
                guard let amount = try NumberText.coerce(value) else { return .null }
                let millis = (amount * Double(unitMillis)).rounded()
                guard let exact = Int64(exactly: millis),
                    let text = isUTC
                        ? ISOTimestamp.formatUTC(millis: exact) : ISOTimestamp.format(millis: exact, in: zone)
                else {
                    throw TransformError(
                        .invalidInput,
                        "\(JSONValue.text(of: amount)) \(unit) is outside years 1 to 9999"
                    )
                }
                return .string(text)
            }
            let toEpoch: TransformFunction = { value, _ in
                let millis = try instant(value, in: zone)
                return unitMillis == 1 ? .number(Double(millis)) : .number(Double(millis) / Double(unitMillis))
            }
            return toISO
                ? Transform.Implementation(forward: fromEpoch, backward: toEpoch)
                : Transform.Implementation(forward: toEpoch, backward: fromEpoch)
        }
    }

    /// The named time-zone argument, which must be an IANA name Foundation knows.
    private static func timeZone(_ arguments: TransformArguments, _ name: String) throws -> TimeZone {
        let identifier = try arguments.string(name)
        guard let zone = TimeZone(identifier: identifier) else {
            throw arguments.invalid(name, "unknown time zone '\(identifier)'; use an IANA name such as Europe/London")
        }
        return zone
    }

    /// The instant of an ISO 8601 string input, reading wall times in `zone`.
    private static func instant(_ value: JSONValue, in zone: TimeZone) throws -> Int64 {
        let text = try value.requireString()
        guard let fields = ISOTimestamp.parse(text), let millis = ISOTimestamp.millis(of: fields, in: zone) else {
            throw TransformError(.invalidInput, "'\(text)' is not an ISO 8601 date or timestamp")
        }
        return millis
    }

    /// The instant of the first pattern `text` fits: a loop, where a lazy `compactMap` chain was a visible cost.
    private static func firstParse(_ text: String, _ patterns: [DatePattern]) -> Int64? {
        for index in patterns.indices {
            if let millis = patterns[index].parse(text) { return millis }
        }
        return nil
    }

    private static func outOfRangeCheck(_ text: String?, _ input: String) throws -> String {
        guard let text else { throw TransformError(.invalidInput, "'\(input)' is outside years 1 to 9999") }
        return text
    }
}
