extension Migration {
    /// Saved mappings per (connection, entity type), a tenant's own entity models, and the model of each record
    /// so records can be read by model across connections; and job progress.
    static let mappings = Migration(version: 5, name: "mappings") { _ in
        [
            """
            CREATE TABLE mappings (
                tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
                entity_type TEXT NOT NULL,
                document TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (connection_id, entity_type)
            )
            """,
            """
            CREATE TABLE entity_models (
                tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                document TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (tenant_id, name)
            )
            """,
            "ALTER TABLE records ADD COLUMN model TEXT",
            "CREATE INDEX records_model ON records (tenant_id, model, connection_id, seq)",
            // What a long job (a mapping re-applied to stored records) reports while it runs.
            "ALTER TABLE jobs ADD COLUMN progress TEXT",
            // Where a tenant's fiscal year starts, for `current_fiscal_year` sync windows.
            "ALTER TABLE tenants ADD COLUMN fiscal_year_start_month INTEGER NOT NULL DEFAULT 1",
        ]
    }
}
