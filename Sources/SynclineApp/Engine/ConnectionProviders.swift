import Synchronization
import SynclineCore

/// Which provider a job's connection uses, for the `provider` label of the job counters. A connection's provider
/// never changes, so answers are kept (up to a bound) instead of reading the connection for every job.
final class ConnectionProviders: Sendable {
    private let connections: any ConnectionStore
    private let known = Mutex([String: String]())
    private let capacity: Int

    init(connections: any ConnectionStore, capacity: Int = 10_000) {
        self.connections = connections
        self.capacity = capacity
    }

    func provider(of job: Job) async -> String? {
        guard let id = job.connectionID else { return nil }
        if let slug = known.withLock({ $0[id] }) { return slug }
        guard let connection = try? await connections.find(id: id, tenantID: job.tenantID) else { return nil }
        known.withLock { known in
            if known.count >= capacity { known.removeAll(keepingCapacity: true) }
            known[id] = connection.provider
        }
        return connection.provider
    }
}
