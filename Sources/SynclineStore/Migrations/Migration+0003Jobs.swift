extension Migration {
    /// The job queue. Partial indexes keep claims fast however deep the table grows, enforce one waiting or
    /// running job per unique key, and one running job per connection (the database, not the workers, holds
    /// that line, so two workers racing on PostgreSQL cannot both win).
    static let jobs = Migration(version: 3, name: "jobs") { _ in
        [
            """
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                connection_id TEXT REFERENCES connections (id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                priority INTEGER NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL,
                run_at BIGINT NOT NULL,
                lease_token BIGINT NOT NULL DEFAULT 0,
                lease_owner TEXT,
                lease_expires_at BIGINT,
                unique_key TEXT,
                last_error TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                finished_at BIGINT
            )
            """,
            "CREATE INDEX jobs_available ON jobs (priority DESC, run_at) WHERE status IN ('pending', 'retrying')",
            "CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE status = 'running'",
            """
            CREATE UNIQUE INDEX jobs_unique_key ON jobs (unique_key)
            WHERE unique_key IS NOT NULL AND status IN ('pending', 'retrying', 'running')
            """,
            "CREATE UNIQUE INDEX jobs_one_running_per_connection ON jobs (connection_id) WHERE status = 'running'",
            "CREATE INDEX jobs_tenant ON jobs (tenant_id, created_at)",
            "CREATE INDEX jobs_connection ON jobs (connection_id, status)",
        ]
    }
}
