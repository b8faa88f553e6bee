extension TransformDefinition {
    /// Every transform Syncline ships, in no particular order (the registry sorts by name).
    static let standard: [TransformDefinition] = [
        // Types and values
        valueMap, toString, toInteger, toNumber, toBoolean, booleanInvert,
        // Numbers
        round, floor, ceil, multiply, divide, parseCurrency, unitConvert,
        // Dates and times
        parseDate, formatDate, timezoneConvert, unixSecondsToISO, isoToUnixSeconds, unixMillisToISO,
        isoToUnixMillis,
        // Strings
        trim, lower, upper, titleCase, truncate, slug, split, join, regexExtract, regexReplace,
        // Records, defaults and collections
        template, concat, defaultValue, coalesce, nullIfEmpty, first, last, pick,
        // Identities
        emailNormalize, phoneE164, sha256, stableUUID, lookup,
    ]
}
