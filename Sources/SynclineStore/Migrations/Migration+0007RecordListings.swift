extension Migration {
    /// Which listing last saw each live record, in a narrow table of its own (a row per record not deleted). A
    /// full sync with nothing changed upstream used to stamp every record row with the listing's run (on
    /// PostgreSQL a new version of each wide row, raw JSON and all, and an entry in each of its indexes); now it
    /// touches only these small rows, which PostgreSQL can update in place (HOT, with room left on each page),
    /// and the records a listing did not see are found in this table alone, without a join.
    static let recordListings = Migration(version: 7, name: "record_listings") { dialect in
        let options =
            switch dialect {
            case .sqlite: " WITHOUT ROWID"
            case .postgresql: " WITH (fillfactor = 50)"
            }
        return [
            """
            CREATE TABLE record_listings (
                connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
                entity_type TEXT NOT NULL,
                external_id TEXT NOT NULL,
                seen_run TEXT NOT NULL,
                PRIMARY KEY (connection_id, entity_type, external_id)
            )\(options)
            """,
            """
            INSERT INTO record_listings (connection_id, entity_type, external_id, seen_run)
            SELECT connection_id, entity_type, external_id, COALESCE(seen_run, '') FROM records WHERE deleted = 0
            """,
            "ALTER TABLE records DROP COLUMN seen_run",
        ]
    }
}
