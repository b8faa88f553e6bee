import Synchronization

/// One task at a time per key (a connection id), any number across keys: serialises the credential refreshes
/// of one connection inside this process. Across processes PostgreSQL adds an advisory lock on top.
final class KeyedGate: Sendable {
    private struct Entry {
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    /// A key is present while some task holds it.
    private let held = Mutex([String: Entry]())

    func withGate<T>(_ key: String, _ body: () async throws -> T) async throws -> T {
        await acquire(key)
        defer { release(key) }
        return try await body()
    }

    private func acquire(_ key: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enter = held.withLock { held -> Bool in
                if held[key] != nil {
                    held[key]?.waiters.append(continuation)
                    return false
                }
                held[key] = Entry()
                return true
            }
            if enter { continuation.resume() }
        }
    }

    private func release(_ key: String) {
        let next = held.withLock { held -> CheckedContinuation<Void, Never>? in
            guard var entry = held[key], !entry.waiters.isEmpty else {
                held[key] = nil
                return nil
            }
            let first = entry.waiters.removeFirst()
            held[key] = entry
            return first
        }
        next?.resume()
    }
}
