extension Migration {
    /// Syncs (one per connection and entity type, with the import's cursor and checkpoint), imported records with
    /// their per-connection change sequence, and the runs history with failed records.
    static let syncsRecordsRuns = Migration(version: 2, name: "syncs_records_runs") { _ in
        [
            """
            CREATE TABLE syncs (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
                entity_type TEXT NOT NULL,
                direction TEXT NOT NULL DEFAULT 'import',
                enabled INTEGER NOT NULL DEFAULT 1,
                interval_minutes INTEGER,
                cron TEXT,
                time_zone TEXT,
                jitter_seconds INTEGER NOT NULL DEFAULT 0,
                parameters TEXT NOT NULL DEFAULT '{}',
                cursor TEXT,
                checkpoint TEXT,
                checkpoint_run_id TEXT,
                pending_cursor TEXT,
                next_run_at BIGINT,
                last_run_at BIGINT,
                last_status TEXT,
                consecutive_failures INTEGER NOT NULL DEFAULT 0,
                configured INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (connection_id, entity_type)
            )
            """,
            "CREATE INDEX syncs_tenant ON syncs (tenant_id, connection_id)",
            // The connection's circuit breaker (JSON), and when a half-open probe may run.
            "ALTER TABLE connections ADD COLUMN circuit TEXT",
            "ALTER TABLE connections ADD COLUMN circuit_probe_at BIGINT",
            "CREATE INDEX syncs_due ON syncs (next_run_at) WHERE enabled = 1",
            """
            CREATE TABLE records (
                tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
                entity_type TEXT NOT NULL,
                external_id TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                raw TEXT NOT NULL,
                mapped TEXT,
                seq BIGINT NOT NULL,
                created_seq BIGINT NOT NULL,
                seen_run TEXT,
                deleted INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (connection_id, entity_type, external_id)
            )
            """,
            "CREATE UNIQUE INDEX records_feed ON records (connection_id, seq)",
            "CREATE INDEX records_tenant_entity ON records (tenant_id, entity_type)",
            """
            CREATE TABLE record_sequences (
                connection_id TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
                last_seq BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE runs (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
                entity_type TEXT NOT NULL,
                direction TEXT NOT NULL,
                trigger TEXT NOT NULL,
                parameters TEXT NOT NULL,
                job_id TEXT,
                status TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                finished_at BIGINT,
                pages INTEGER NOT NULL DEFAULT 0,
                requests INTEGER NOT NULL DEFAULT 0,
                retries INTEGER NOT NULL DEFAULT 0,
                rate_limit_wait_ms BIGINT NOT NULL DEFAULT 0,
                records_seen INTEGER NOT NULL DEFAULT 0,
                records_created INTEGER NOT NULL DEFAULT 0,
                records_updated INTEGER NOT NULL DEFAULT 0,
                records_unchanged INTEGER NOT NULL DEFAULT 0,
                records_deleted INTEGER NOT NULL DEFAULT 0,
                records_failed INTEGER NOT NULL DEFAULT 0,
                warnings INTEGER NOT NULL DEFAULT 0,
                error TEXT,
                error_class TEXT,
                resumed INTEGER NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX runs_connection ON runs (tenant_id, connection_id, started_at)",
            """
            CREATE TABLE run_failures (
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                external_id TEXT NOT NULL,
                error TEXT NOT NULL,
                PRIMARY KEY (run_id, position)
            )
            """,
        ]
    }
}
