extension Migration {
    /// The index that lets one job per connection run now holds only jobs with a connection (a job without one
    /// was never limited by it: NULLs are distinct in a unique index), so claiming such a job writes one index
    /// entry fewer. Its predicate also no longer matches a query about running jobs in general, which
    /// PostgreSQL had used it for, scanning every running job, where the lease-expiry index was the one to read.
    static let runningIndex = Migration(version: 8, name: "running_index") { _ in
        [
            "DROP INDEX jobs_one_running_per_connection",
            """
            CREATE UNIQUE INDEX jobs_one_running_per_connection ON jobs (connection_id)
            WHERE status = 'running' AND connection_id IS NOT NULL
            """,
        ]
    }
}
