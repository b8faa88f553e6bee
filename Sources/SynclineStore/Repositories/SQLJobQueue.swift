import Foundation
import SQLKit
import SynclineCore

/// The job queue in `jobs`, on both databases. Claims are one `UPDATE ... RETURNING` over a ranked choice of
/// runnable jobs (PostgreSQL adds `FOR UPDATE SKIP LOCKED` so workers never wait on each other); every later
/// call names the lease token in its WHERE clause, so only the current lease holder can change a running job.
public struct SQLJobQueue: JobQueue {
    let database: Database

    struct Row {
        var id: String
        var tenantId: String
        var connectionId: String?
        var kind: String
        var payload: String
        var priority: Int
        var status: String
        var attempts: Int
        var maxAttempts: Int
        var runAt: Int64
        var leaseToken: Int64
        var leaseOwner: String?
        var leaseExpiresAt: Int64?
        var uniqueKey: String?
        var lastError: String?
        var createdAt: Int64
        var updatedAt: Int64
        var finishedAt: Int64?
        var progress: String?

        /// Reads the columns one by one: SQLKit's `Codable` row decoder costs about twice as much per column, and
        /// decoding claimed rows was the largest cost of a claim in the profile.
        init(_ row: any SQLRow) throws {
            try self.init(
                row,
                status: row.decode(column: "status", as: String.self),
                leaseOwner: Self.optional(row, "lease_owner", as: String.self),
                leaseExpiresAt: Self.optional(row, "lease_expires_at", as: Int64.self),
                updatedAt: row.decode(column: "updated_at", as: Int64.self)
            )
        }

        /// A row a claim just took, returned with `claimedColumns`: the columns the claim itself set are known.
        init(claimed row: any SQLRow, owner: String, expires: Int64, stamp: Int64) throws {
            try self.init(
                row,
                status: JobStatus.running.rawValue,
                leaseOwner: owner,
                leaseExpiresAt: expires,
                updatedAt: stamp
            )
        }

        /// The columns a claim returns: all but the four it sets to values it knows.
        static let claimedColumns = """
            id, tenant_id, connection_id, kind, payload, priority, attempts, max_attempts, run_at, lease_token, \
            unique_key, last_error, created_at, finished_at, progress
            """

        private init(
            _ row: any SQLRow,
            status: String,
            leaseOwner: String?,
            leaseExpiresAt: Int64?,
            updatedAt: Int64
        ) throws {
            id = try row.decode(column: "id", as: String.self)
            tenantId = try row.decode(column: "tenant_id", as: String.self)
            connectionId = try Self.optional(row, "connection_id", as: String.self)
            kind = try row.decode(column: "kind", as: String.self)
            payload = try row.decode(column: "payload", as: String.self)
            priority = try row.decode(column: "priority", as: Int.self)
            self.status = status
            attempts = try row.decode(column: "attempts", as: Int.self)
            maxAttempts = try row.decode(column: "max_attempts", as: Int.self)
            runAt = try row.decode(column: "run_at", as: Int64.self)
            leaseToken = try row.decode(column: "lease_token", as: Int64.self)
            self.leaseOwner = leaseOwner
            self.leaseExpiresAt = leaseExpiresAt
            uniqueKey = try Self.optional(row, "unique_key", as: String.self)
            lastError = try Self.optional(row, "last_error", as: String.self)
            createdAt = try row.decode(column: "created_at", as: Int64.self)
            self.updatedAt = updatedAt
            finishedAt = try Self.optional(row, "finished_at", as: Int64.self)
            progress = try Self.optional(row, "progress", as: String.self)
        }

        /// A nullable column: asking for null first and then the plain type keeps SQLiteKit on its direct path for
        /// strings and integers; decoding an `Optional` went through `Decodable` and cost several times as much.
        static func optional<Value: Decodable>(_ row: any SQLRow, _ column: String, as: Value.Type) throws -> Value? {
            try row.decodeNil(column: column) ? nil : row.decode(column: column, as: Value.self)
        }

        func job() throws -> Job {
            guard let status = JobStatus(rawValue: status) else {
                throw StoreError(.invalidConfiguration, "job \(id) has an unknown status '\(status)'")
            }
            return Job(
                id: id,
                tenantID: tenantId,
                connectionID: connectionId,
                kind: kind,
                payload: try JSONValue.parse(payload).objectValue ?? [:],
                priority: priority,
                status: status,
                attempts: attempts,
                maxAttempts: maxAttempts,
                runAt: Timestamp.date(runAt),
                leaseToken: leaseToken,
                leaseOwner: leaseOwner,
                leaseExpiresAt: Timestamp.date(leaseExpiresAt),
                uniqueKey: uniqueKey,
                lastError: lastError,
                createdAt: Timestamp.date(createdAt),
                updatedAt: Timestamp.date(updatedAt),
                finishedAt: Timestamp.date(finishedAt),
                progress: try progress.flatMap { try JSONValue.parse($0).objectValue }
            )
        }
    }

    // MARK: enqueue

    public func enqueue(_ new: NewJob, now: Date) async throws -> EnqueueResult {
        let stamp = Timestamp.millis(now)
        let runAt = Timestamp.millis(new.runAt ?? now)
        let payload = try JSONValue.object(new.payload).jsonString()
        // A lost race on the unique key (two schedulers on PostgreSQL) is answered with the winner's job.
        for _ in 0..<3 {
            if let key = new.uniqueKey, let existing = try await waitingJob(uniqueKey: key, tenantID: new.tenantID) {
                return EnqueueResult(
                    job: try await promote(existing, to: new, runAt: runAt, now: stamp),
                    created: false
                )
            }
            let id = Identifier.make(prefix: "job", now: now)
            let inserted: Row?
            do {
                inserted = try await database.withConnection { db in
                    try await db.insert(into: "jobs")
                        .columns(
                            "id",
                            "tenant_id",
                            "connection_id",
                            "kind",
                            "payload",
                            "priority",
                            "status",
                            "attempts",
                            "max_attempts",
                            "run_at",
                            "lease_token",
                            "unique_key",
                            "created_at",
                            "updated_at"
                        )
                        .values(
                            SQLBind(id),
                            SQLBind(new.tenantID),
                            SQLBind(new.connectionID),
                            SQLBind(new.kind),
                            SQLBind(payload),
                            SQLBind(new.priority.rawValue),
                            SQLBind(JobStatus.pending.rawValue),
                            SQLBind(0),
                            SQLBind(max(1, new.maxAttempts)),
                            SQLBind(runAt),
                            SQLBind(Int64(0)),
                            SQLBind(new.uniqueKey),
                            SQLBind(stamp),
                            SQLBind(stamp)
                        )
                        .returning("*")
                        .first().map(Row.init)
                }
            } catch  where database.dialect.isUniqueViolation(error) && new.uniqueKey != nil {
                continue
            }
            guard let job = try inserted?.job() else {
                throw StoreError(.notFound, "job \(id) vanished after it was enqueued")
            }
            return EnqueueResult(job: job, created: true)
        }
        throw StoreError(.conflict, "could not enqueue a job with unique key \(new.uniqueKey ?? "")")
    }

    private func waitingJob(uniqueKey: String, tenantID: String) async throws -> Job? {
        try await database.withConnection { db in
            try await db.select().column("*").from("jobs")
                .where("unique_key", .equal, uniqueKey)
                .where("tenant_id", .equal, tenantID)
                .where(SQLRaw("status IN ('pending', 'retrying', 'running')"))
                .first().map(Row.init)?.job()
        }
    }

    /// A manual request for work already waiting makes the waiting job manual and due now.
    private func promote(_ job: Job, to new: NewJob, runAt: Int64, now: Int64) async throws -> Job {
        guard job.status != .running,
            new.priority.rawValue > job.priority || runAt < Timestamp.millis(job.runAt)
        else { return job }
        let priority = max(job.priority, new.priority.rawValue)
        let start = min(runAt, Timestamp.millis(job.runAt))
        let row = try await database.withConnection { db in
            try await db.update("jobs")
                .set("priority", to: priority)
                .set("run_at", to: start)
                .set("updated_at", to: now)
                .where("id", .equal, job.id)
                .where("lease_token", .equal, job.leaseToken)
                .where(SQLRaw("status IN ('pending', 'retrying')"))
                .returning("*")
                .first().map(Row.init)
        }
        return try row?.job() ?? job
    }

    // MARK: claiming and leases

    public func claim(owner: String, limit: Int, lease: Duration, now: Date) async throws -> [JobLease] {
        let stamp = Timestamp.millis(now)
        let expires = Timestamp.millis(now.addingTimeInterval(Self.seconds(lease)))
        let limit = max(1, limit)
        // Each candidate query reads at most `window` rows, so a claim costs the same however deep the queue is.
        // Waiting jobs of a connection that already runs one are filtered out before the limit; the window only
        // has to absorb several waiting jobs of one idle connection (a connection's entity types), of which a
        // claim takes the first. Jobs further back are found by the next claim.
        let window = min(limit * 2 + 50, 1000)
        for attempt in 0..<6 {
            do {
                let rows = try await database.transaction { db in
                    try await claimRows(db, owner: owner, limit: limit, window: window, stamp: stamp, expires: expires)
                }
                return try rows.map { JobLease(job: try $0.job()) }.sorted(by: Self.claimOrder)
            } catch  where database.dialect.isUniqueViolation(error) && attempt < 5 {
                // On PostgreSQL two workers can each pick a different job of one connection; the partial unique
                // index refuses the second, whose claim is then tried again and sees the first one running.
                continue
            }
        }
        return []
    }

    /// A job a claim may take: its id and connection, and for an expired lease whether attempts are left.
    struct Candidate {
        var id: String
        var connectionID: String?
        var exhausted = false

        init(_ row: any SQLRow, expired: Bool) throws {
            id = try row.decode(column: "id", as: String.self)
            connectionID = try Row.optional(row, "connection_id", as: String.self)
            if expired {
                exhausted =
                    try row.decode(column: "attempts", as: Int.self) >= row.decode(column: "max_attempts", as: Int.self)
            }
        }
    }

    /// One claim inside its transaction: expired leases first (usually none; a job out of attempts dies here),
    /// then waiting jobs in claim order, one per connection, then one UPDATE of the chosen ids. PostgreSQL locks
    /// the candidates with `FOR UPDATE SKIP LOCKED`, so concurrent claims read disjoint candidates and never
    /// wait on each other; SQLite's `BEGIN IMMEDIATE` already makes the claim exclusive.
    private func claimRows(
        _ db: any SQLDatabase,
        owner: String,
        limit: Int,
        window: Int,
        stamp: Int64,
        expires: Int64
    ) async throws -> [Row] {
        let lock = database.dialect.claimLock
        var expired = try await db.raw(
            """
            SELECT id, connection_id, attempts, max_attempts FROM jobs
            WHERE status = 'running' AND lease_expires_at < \(bind: stamp)
            ORDER BY lease_expires_at LIMIT \(unsafeRaw: String(window)) \(unsafeRaw: lock)
            """
        ).all().map { try Candidate($0, expired: true) }
        let exhausted = expired.filter(\.exhausted).map(\.id)
        if !exhausted.isEmpty {
            try await db.update("jobs")
                .set("status", to: JobStatus.dead.rawValue)
                .set("lease_owner", to: String?.none)
                .set("lease_expires_at", to: Int64?.none)
                .set(
                    "last_error",
                    to: "the worker stopped answering (its lease expired) during the last attempt"
                )
                .set("finished_at", to: stamp)
                .set("updated_at", to: stamp)
                .where("id", .in, exhausted)
                .where(SQLRaw(Self.runningByID))
                .run()
            expired.removeAll(where: \.exhausted)
        }
        let waiting = try await db.raw(
            """
            SELECT id, connection_id FROM jobs j
            WHERE status IN ('pending', 'retrying') AND run_at <= \(bind: stamp)
                AND (connection_id IS NULL OR NOT EXISTS (
                    SELECT 1 FROM jobs r WHERE r.connection_id = j.connection_id AND r.status = 'running'))
            ORDER BY priority DESC, run_at, id LIMIT \(unsafeRaw: String(window)) \(unsafeRaw: lock)
            """
        ).all().map { try Candidate($0, expired: false) }
        let chosen = Self.choose(expired: expired, waiting: waiting, limit: limit)
        guard !chosen.isEmpty else { return [] }
        return try await db.raw(
            """
            UPDATE jobs SET status = 'running', lease_owner = \(bind: owner),
                lease_expires_at = \(bind: expires), lease_token = lease_token + 1,
                attempts = attempts + 1, updated_at = \(bind: stamp)
            WHERE id IN (\(binds: chosen)) AND \(unsafeRaw: Self.runnable(stamp))
            RETURNING \(unsafeRaw: Row.claimedColumns)
            """
        ).all().map { try Row(claimed: $0, owner: owner, expires: expires, stamp: stamp) }
    }

    /// The ids a claim takes: at most one job per connection, expired leases first (their connection's waiting
    /// jobs are already left out), then waiting jobs in claim order, `limit` in all.
    static func choose(expired: [Candidate], waiting: [Candidate], limit: Int) -> [String] {
        var connections: Set<String> = []
        var picked: [String] = []
        picked.reserveCapacity(limit)
        for candidate in [expired, waiting].joined() {
            if let connection = candidate.connectionID, !connections.insert(connection).inserted { continue }
            picked.append(candidate.id)
            if picked.count == limit { break }
        }
        return picked
    }

    public func reportProgress(_ lease: JobLease, _ progress: [String: JSONValue], now: Date) async throws -> Bool {
        let text = try JSONValue.object(progress).jsonString()
        return try await database.withConnection { db in
            try await db.update("jobs")
                .set("progress", to: text)
                .set("updated_at", to: Timestamp.millis(now))
                .where("id", .equal, lease.id)
                .where("lease_token", .equal, lease.token)
                .where(SQLRaw(Self.runningByID))
                .returning("id")
                .first() != nil
        }
    }

    public func heartbeat(_ lease: JobLease, until: Date, now: Date) async throws -> Bool {
        try await heartbeat([lease], until: until, now: now).contains(lease.id)
    }

    public func heartbeat(_ leases: [JobLease], until: Date, now: Date) async throws -> Set<String> {
        try await updateLeased(leases) { update in
            update.set("lease_expires_at", to: Timestamp.millis(until)).set("updated_at", to: Timestamp.millis(now))
        }
    }

    public func complete(_ leases: [JobLease], now: Date) async throws -> Set<String> {
        let stamp = Timestamp.millis(now)
        return try await updateLeased(leases) { update in
            update.set("status", to: JobStatus.succeeded.rawValue)
                .set("lease_owner", to: String?.none)
                .set("lease_expires_at", to: Int64?.none)
                .set("last_error", to: String?.none)
                .set("finished_at", to: stamp)
                .set("updated_at", to: stamp)
        }
    }

    /// Applies `changes` to the running jobs whose lease is still the given one, 200 per statement; answers the
    /// ids it changed. Leases are grouped by token, one `lease_token = ? AND id IN (...)` per token (usually a
    /// single one, every job on its first lease), which uses the primary key, unlike one OR-ed pair per job.
    private func updateLeased(
        _ leases: [JobLease],
        _ changes: @escaping @Sendable (SQLUpdateBuilder) -> SQLUpdateBuilder
    ) async throws -> Set<String> {
        guard !leases.isEmpty else { return [] }
        var changed: Set<String> = []
        for chunk in SQLRecordStore.chunks(leases, of: 200) {
            let groups = Self.idsByToken(chunk)
            let rows = try await database.withConnection { db in
                try await changes(db.update("jobs"))
                    .where(SQLRaw(Self.runningByID))
                    .where(group: { group in
                        var group = group
                        for (token, ids) in groups {
                            group = group.orWhere(group: {
                                $0.where("lease_token", .equal, token).where("id", .in, ids)
                            })
                        }
                        return group
                    })
                    .returning("id")
                    .all()
            }
            // By column, not through a `Decodable` row type: decoding was 2 % of a batch acknowledgement's CPU.
            for row in rows { changed.insert(try row.decode(column: "id", as: String.self)) }
        }
        return changed
    }

    /// The leases' ids by their token, in first-seen order so the statement text is stable.
    static func idsByToken(_ leases: some Collection<JobLease>) -> [(Int64, [String])] {
        var order: [Int64] = []
        var ids: [Int64: [String]] = [:]
        for lease in leases {
            if ids[lease.token] == nil { order.append(lease.token) }
            ids[lease.token, default: []].append(lease.id)
        }
        return order.map { ($0, ids[$0] ?? []) }
    }

    public func fail(_ lease: JobLease, error: String, retryAt: Date?, now: Date) async throws -> JobStatus? {
        let stamp = Timestamp.millis(now)
        let message = String(error.prefix(2000))
        struct Outcome: Decodable { var status: String }
        // Two statements rather than one with a nullable bind: PostgreSQL cannot type a bare NULL parameter.
        let update: SQLQueryString
        if let retryAt {
            let retry = Timestamp.millis(retryAt)
            update = """
                UPDATE jobs SET
                    status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'retrying' END,
                    finished_at = CASE WHEN attempts >= max_attempts THEN \(bind: stamp) ELSE NULL END,
                    run_at = \(bind: retry), last_error = \(bind: message),
                    lease_owner = NULL, lease_expires_at = NULL, updated_at = \(bind: stamp)
                WHERE id = \(bind: lease.id) AND lease_token = \(bind: lease.token) AND \(unsafeRaw: Self.runningByID)
                RETURNING status
                """
        } else {
            update = """
                UPDATE jobs SET status = 'dead', finished_at = \(bind: stamp), last_error = \(bind: message),
                    lease_owner = NULL, lease_expires_at = NULL, updated_at = \(bind: stamp)
                WHERE id = \(bind: lease.id) AND lease_token = \(bind: lease.token) AND \(unsafeRaw: Self.runningByID)
                RETURNING status
                """
        }
        let row = try await database.withConnection { db in
            try await db.raw(update).first(decoding: Outcome.self)
        }
        return row.flatMap { JobStatus(rawValue: $0.status) }
    }

    /// Whether a row may be claimed at `stamp`. Repeated at the locking level and in the UPDATE itself: on
    /// PostgreSQL a row another worker claimed (or finished) after our snapshot is re-checked against these
    /// conditions on its newest version, so it is skipped instead of being run twice.
    /// "The job is running", for statements that find their rows by id: the statuses it is not. Spelt
    /// `status = 'running'`, the condition matches the predicates of the partial indexes on running jobs, and
    /// PostgreSQL, whose statistics rarely see the running jobs of a moment (they come and go between two ANALYZE
    /// runs), took such an index as the cheaper path: every acknowledgement of 200 ids then read every running job
    /// and filtered them. This spelling only the primary key can serve. Derived from `JobStatus`, so a new status
    /// is left out too.
    static let runningByID =
        "status NOT IN ("
        + JobStatus.allCases.filter { $0 != .running }.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"

    static func runnable(_ stamp: Int64) -> String {
        "((status IN ('pending', 'retrying') AND run_at <= \(stamp)) OR (status = 'running' AND lease_expires_at < \(stamp)))"
    }

    /// Highest priority first, then the longest waiting, then by id so the order is total.
    static func claimOrder(_ left: JobLease, _ right: JobLease) -> Bool {
        if left.job.priority != right.job.priority { return left.job.priority > right.job.priority }
        if left.job.runAt != right.job.runAt { return left.job.runAt < right.job.runAt }
        return left.id < right.id
    }

    public func release(_ lease: JobLease, now: Date) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE jobs SET status = 'pending', attempts = attempts - 1, lease_owner = NULL,
                    lease_expires_at = NULL, updated_at = \(bind: Timestamp.millis(now))
                WHERE id = \(bind: lease.id) AND lease_token = \(bind: lease.token) AND \(unsafeRaw: Self.runningByID)
                RETURNING id
                """
            ).first() != nil
        }
    }

    // MARK: operations

    public func cancel(id: String, tenantID: String, now: Date) async throws -> Job {
        let row = try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE jobs SET status = 'cancelled', lease_owner = NULL, lease_expires_at = NULL,
                    lease_token = lease_token + 1, finished_at = \(bind: Timestamp.millis(now)),
                    updated_at = \(bind: Timestamp.millis(now))
                WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID)
                    AND status IN ('pending', 'retrying', 'running')
                RETURNING *
                """
            ).first().map(Row.init)
        }
        if let row { return try row.job() }
        guard let job = try await find(id: id, tenantID: tenantID) else {
            throw StoreError(.notFound, "job \(id) not found")
        }
        throw StoreError(.conflict, "job \(id) is \(job.status.rawValue) and cannot be cancelled")
    }

    public func retry(id: String, tenantID: String, now: Date) async throws -> Job {
        let stamp = Timestamp.millis(now)
        let row: Row?
        do {
            row = try await database.withConnection { db in
                try await db.raw(
                    """
                    UPDATE jobs SET status = 'pending', attempts = 0, run_at = \(bind: stamp), last_error = NULL,
                        finished_at = NULL, priority = \(bind: JobPriority.manual.rawValue), updated_at = \(bind: stamp)
                    WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID)
                        AND status IN ('dead', 'retrying', 'cancelled')
                    RETURNING *
                    """
                ).first().map(Row.init)
            }
        } catch  where database.dialect.isUniqueViolation(error) {
            throw StoreError(.conflict, "job \(id) cannot be retried: an equal job is already waiting or running")
        }
        if let row { return try row.job() }
        guard let job = try await find(id: id, tenantID: tenantID) else {
            throw StoreError(.notFound, "job \(id) not found")
        }
        throw StoreError(
            .conflict,
            "job \(id) is \(job.status.rawValue); only dead, failed or cancelled jobs are retried"
        )
    }

    public func cancelWaiting(connectionID: String, tenantID: String, now: Date) async throws -> Int {
        struct Cancelled: Decodable { var id: String }
        return try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE jobs SET status = 'cancelled', finished_at = \(bind: Timestamp.millis(now)),
                    updated_at = \(bind: Timestamp.millis(now))
                WHERE connection_id = \(bind: connectionID) AND tenant_id = \(bind: tenantID)
                    AND status IN ('pending', 'retrying')
                RETURNING id
                """
            ).all(decoding: Cancelled.self).count
        }
    }

    public func find(id: String, tenantID: String) async throws -> Job? {
        try await database.withConnection { db in
            try await db.select().column("*").from("jobs")
                .where("id", .equal, id)
                .where("tenant_id", .equal, tenantID)
                .first().map(Row.init)?.job()
        }
    }

    public func list(tenantID: String, filter: JobFilter) async throws -> [Job] {
        try await database.withConnection { db in
            var query = db.select().column("*").from("jobs").where("tenant_id", .equal, tenantID)
            if let status = filter.status { query = query.where("status", .equal, status.rawValue) }
            if let connection = filter.connectionID { query = query.where("connection_id", .equal, connection) }
            if let kind = filter.kind { query = query.where("kind", .equal, kind) }
            return try await query.orderBy("created_at", .descending).orderBy("id", .descending)
                .limit(max(1, min(filter.limit, 1000)))
                .all().map(Row.init)
                .map { try $0.job() }
        }
    }

    public func depth() async throws -> [JobStatus: Int] {
        struct Count: Decodable {
            var status: String
            var count: Int
        }
        let rows = try await database.withConnection { db in
            try await db.raw("SELECT status, COUNT(*) AS count FROM jobs GROUP BY status").all(decoding: Count.self)
        }
        var depth: [JobStatus: Int] = [:]
        for row in rows { if let status = JobStatus(rawValue: row.status) { depth[status] = row.count } }
        return depth
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
