extension Migration {
    /// The operator's per-provider settings (hidden, OAuth app with its secret sealed like a credential) and the
    /// single-use OAuth states of authorizations in flight.
    static let providerSettingsAndOAuth = Migration(version: 4, name: "provider_settings_oauth") { _ in
        [
            """
            CREATE TABLE provider_settings (
                slug TEXT PRIMARY KEY,
                hidden INTEGER NOT NULL DEFAULT 0,
                oauth_client_id TEXT,
                oauth_secret_key_id TEXT,
                oauth_secret_ciphertext TEXT,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE oauth_states (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
                connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
                redirect_uri TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                consumed_at BIGINT
            )
            """,
            "CREATE INDEX oauth_states_expiry ON oauth_states (expires_at)",
            "CREATE INDEX connections_credential_expiry ON connections (credential_expires_at)",
        ]
    }
}
