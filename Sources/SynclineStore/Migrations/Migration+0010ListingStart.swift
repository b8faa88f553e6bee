extension Migration {
    /// Where a full listing began, on its sync row: the run that lists, and the connection's change sequence
    /// before its first page. A record the listing creates or changes gets a later sequence, so it is seen without
    /// a `record_listings` row; only records the listing finds unchanged get one. That row cost every record of a
    /// first import one more B-tree insertion (about a sixth of a page's write on SQLite).
    static let listingStart = Migration(version: 10, name: "listing_start") { _ in
        [
            "ALTER TABLE syncs ADD COLUMN listing_run_id TEXT",
            "ALTER TABLE syncs ADD COLUMN listing_seq BIGINT",
        ]
    }
}
