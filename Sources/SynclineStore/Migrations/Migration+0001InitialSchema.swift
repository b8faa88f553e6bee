extension Migration {
    /// Tenants, API keys, connections, their encrypted credentials and the activity log.
    static let initialSchema = Migration(version: 1, name: "initial_schema") { _ in
        [
            """
            CREATE TABLE tenants (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                tenant_id TEXT REFERENCES tenants (id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                prefix TEXT NOT NULL,
                hash TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                last_used_at BIGINT,
                revoked_at BIGINT
            )
            """,
            "CREATE INDEX api_keys_tenant ON api_keys (tenant_id)",
            """
            CREATE TABLE connections (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                provider TEXT NOT NULL,
                name TEXT NOT NULL,
                config TEXT NOT NULL,
                status TEXT NOT NULL,
                setup_step TEXT NOT NULL,
                user_id TEXT,
                credential_expires_at BIGINT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                UNIQUE (tenant_id, provider, name)
            )
            """,
            """
            CREATE TABLE credentials (
                connection_id TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
                tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                key_id TEXT NOT NULL,
                ciphertext TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX credentials_key ON credentials (key_id)",
            """
            CREATE TABLE activity (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                connection_id TEXT,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                details TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX activity_tenant_connection ON activity (tenant_id, connection_id, id)",
        ]
    }
}
