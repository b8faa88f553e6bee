import Foundation
import Synchronization
import SynclineCore
import Testing

@testable import SynclineEngine

@Suite("Lease book")
struct LeaseBookTests {
    static func lease(_ id: String, token: Int64) -> JobLease {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        return JobLease(
            job: Job(
                id: id,
                tenantID: "ten_1",
                connectionID: nil,
                kind: "test",
                payload: [:],
                priority: 0,
                status: .running,
                attempts: Int(token),
                maxAttempts: 5,
                runAt: now,
                leaseToken: token,
                leaseOwner: "w",
                leaseExpiresAt: now,
                uniqueKey: nil,
                lastError: nil,
                createdAt: now,
                updatedAt: now,
                finishedAt: nil
            )
        )
    }

    @Test("holds waiting, running and done leases until acknowledged or given back")
    func holdsEveryLease() {
        let book = LeaseBook()
        book.add([Self.lease("a", token: 1), Self.lease("b", token: 1), Self.lease("c", token: 1)])
        #expect(book.held == 3)
        let first = book.start()
        #expect(first?.id == "a")
        #expect(Set(book.all().map(\.id)) == ["a", "b", "c"])
        #expect(book.finish(Self.lease("a", token: 1), succeeded: true) == false)
        #expect(book.doneCount == 1)
        #expect(book.held == 3)
        #expect(book.takeDone().map(\.id) == ["a"])
        #expect(book.takeWaiting().map(\.id) == ["b", "c"])
        #expect(book.held == 0)
    }

    @Test("a lost lease stops its running handler; an older lease of the same job stops nothing")
    func losesByToken() {
        let book = LeaseBook()
        book.add([Self.lease("a", token: 2), Self.lease("b", token: 1)])
        let running = book.start()
        #expect(running?.id == "a")
        let cancelled = Mutex(0)
        book.onLoss("a") { cancelled.withLock { $0 += 1 } }

        // The heartbeat's list still had the job's previous lease (token 1): the current one stays ours.
        book.lose([Self.lease("a", token: 1)])
        #expect(cancelled.withLock { $0 } == 0)
        #expect(book.finish(Self.lease("a", token: 2), succeeded: true) == false)

        book.add([Self.lease("c", token: 1)])
        let next = book.start()
        #expect(next?.id == "b")
        book.onLoss("b") { cancelled.withLock { $0 += 1 } }
        book.lose([Self.lease("b", token: 1), Self.lease("c", token: 1), Self.lease("a", token: 2)])
        #expect(cancelled.withLock { $0 } == 1)
        #expect(book.finish(Self.lease("b", token: 1), succeeded: true) == true)
        #expect(book.start() == nil)
        #expect(book.takeDone().isEmpty)
        #expect(book.held == 0)
    }
}
