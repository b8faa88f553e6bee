/// One numbered, forward-only schema step. Its statements are plain SQL that both dialects accept;
/// where they cannot, the statement list is chosen from the dialect right here.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    let statements: @Sendable (DatabaseDialect) -> [String]

    init(version: Int, name: String, statements: @escaping @Sendable (DatabaseDialect) -> [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

extension Migration {
    /// Every migration, in order. Adding a table is one new file in this folder plus one line here.
    public static let all: [Migration] = [
        .initialSchema,
        .syncsRecordsRuns,
        .jobs,
        .providerSettingsAndOAuth,
        .mappings,
        .queueIndexes,
        .recordListings,
        .runningIndex,
        .recordIndexes,
        .listingStart,
    ]

    /// The schema level this build of Syncline knows.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
