import Synchronization

/// When PostgreSQL's planner statistics of the records tables are refreshed during bulk imports. Autovacuum
/// analyses a table only a minute or more after it grew, and until then the planner takes a freshly filled
/// table for a few rows: the page lookups (`external_id IN (...)`) become a scan of the connection's every
/// record, so an import slows down with its own size. An `ANALYZE` after 5,000 new records, then after each
/// doubling, keeps the plans right for a handful of statements per import. One per store, shared by its copies.
final class StatisticsRefresh: Sendable {
    private struct State {
        var written = 0
        var next = 5_000
    }

    private let state = Mutex(State())

    /// Counts `created` new rows; answers true when the statistics should be refreshed now.
    func record(created: Int) -> Bool {
        guard created > 0 else { return false }
        return state.withLock { state in
            state.written += created
            guard state.written >= state.next else { return false }
            state.next = state.written * 2
            return true
        }
    }
}
