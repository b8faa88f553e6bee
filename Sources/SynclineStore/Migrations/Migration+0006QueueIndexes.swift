extension Migration {
    /// Cheaper claims and acknowledgements: the available-jobs index carries the id, so a claim reads runnable
    /// jobs in claim order without sorting them, and the per-connection index no longer holds the status, so a
    /// job changing status no longer rewrites its entry there.
    static let queueIndexes = Migration(version: 6, name: "queue_indexes") { _ in
        [
            "DROP INDEX jobs_available",
            "CREATE INDEX jobs_available ON jobs (priority DESC, run_at, id) WHERE status IN ('pending', 'retrying')",
            "DROP INDEX jobs_connection",
            "CREATE INDEX jobs_connection ON jobs (connection_id)",
        ]
    }
}
