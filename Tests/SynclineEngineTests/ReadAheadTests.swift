import Foundation
import Synchronization
import SynclineCore
import Testing

@testable import SynclineEngine

@Suite("Reading a listing one page ahead")
struct ReadAheadTests {
    /// A listing that fetches each page only when asked for it, counting what it was asked.
    final class LazySource: RecordSource {
        let idField = "id"
        let cursorField: String? = nil
        let total: Int
        let failAt: Int?
        let fetched = Mutex(0)

        init(pages: Int, failAt: Int? = nil) {
            total = pages
            self.failAt = failAt
        }

        func pages(
            params: [String: String],
            since cursor: String?,
            resumingFrom checkpoint: String?
        ) throws -> any AsyncSequence<SourcePage, any Error> {
            AsyncThrowingStream<SourcePage, any Error>(unfolding: { [self] in
                let number = fetched.withLock { count -> Int? in
                    guard count < total else { return nil }
                    count += 1
                    return count
                }
                guard let number else { return nil }
                if number == self.failAt { throw ProviderError(.server, "the provider answered 503 on page \(number)") }
                return SourcePage(
                    number: number,
                    records: [.object(["id": .number(Double(number))])],
                    checkpoint: "p\(number)"
                )
            })
        }

        func statistics() async -> SourceStatistics { SourceStatistics(requests: fetched.withLock { $0 }) }
    }

    /// Polls `condition` until it holds; fails the test after 10 s instead of hanging it.
    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("the read-ahead never got that far")
                return
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    @Test("pages arrive in order, the next two fetched while one is written, never more than two ahead")
    func oneAhead() async throws {
        let source = LazySource(pages: 8)
        var seen: [Int] = []
        var ahead: [Int] = []
        try await ReadAhead.pages(of: source, params: [:], since: nil, resumingFrom: nil) { page in
            // Wait, by condition rather than for a fixed time (a loaded machine made that flaky), until the
            // stages got as far ahead as they may, then give them a moment to go too far, and look.
            try await Self.waitUntil { source.fetched.withLock { $0 } >= min(page.number + 2, 8) }
            try await Task.sleep(for: .milliseconds(5))
            seen.append(page.number)
            ahead.append(source.fetched.withLock { $0 } - page.number)
        }
        #expect(seen == Array(1...8))
        // One page prepared and one fetched beyond the one written, until the listing runs out.
        #expect(ahead == [2, 2, 2, 2, 2, 2, 1, 0])
    }

    @Test("the next page is prepared while one is written, and a preparing error reaches the writer in order")
    func preparedAhead() async throws {
        let source = LazySource(pages: 6)
        let prepared = Mutex<[Int]>([])
        var ahead: [Int] = []
        try await ReadAhead.pages(
            of: source,
            params: [:],
            since: nil,
            resumingFrom: nil,
            prepare: { page in
                prepared.withLock { $0.append(page.number) }
                return page.number * 10
            }
        ) { value in
            try await Self.waitUntil { prepared.withLock { $0.last ?? 0 } >= min(value / 10 + 1, 6) }
            try await Task.sleep(for: .milliseconds(5))
            ahead.append(prepared.withLock { $0.last ?? 0 } - value / 10)
        }
        #expect(prepared.withLock { $0 } == Array(1...6))
        #expect(ahead.dropLast().allSatisfy { $0 == 1 })

        var written: [Int] = []
        await #expect(throws: ProviderError.self) {
            try await ReadAhead.pages(
                of: LazySource(pages: 6),
                params: [:],
                since: nil,
                resumingFrom: nil,
                prepare: { page in
                    if page.number == 3 { throw ProviderError(.badResponse, "page 3 cannot be prepared") }
                    return page.number
                }
            ) { written.append($0) }
        }
        #expect(written == [1, 2])
    }

    @Test("an error of the writer stops the listing; an error of the listing reaches the writer after its pages")
    func errors() async throws {
        let source = LazySource(pages: 50)
        var written = 0
        await #expect(throws: ProviderError.self) {
            try await ReadAhead.pages(of: source, params: [:], since: nil, resumingFrom: nil) { page in
                if page.number == 3 { throw ProviderError(.configuration, "the store refused page 3") }
                written += 1
            }
        }
        #expect(written == 2)
        // The refused page and at most the two read ahead of it: the listing stopped there.
        #expect(source.fetched.withLock { $0 } <= 5)

        let failing = LazySource(pages: 10, failAt: 4)
        var pages: [Int] = []
        let error = await #expect(throws: ProviderError.self) {
            try await ReadAhead.pages(of: failing, params: [:], since: nil, resumingFrom: nil) {
                pages.append($0.number)
            }
        }
        #expect(pages == [1, 2, 3])
        #expect(error?.message.contains("page 4") == true)
    }

    @Test("a cancelled import throws rather than ending as if the listing were complete")
    func cancellation() async throws {
        let source = LazySource(pages: 1000)
        let written = Mutex(0)
        let task = Task {
            try await ReadAhead.pages(of: source, params: [:], since: nil, resumingFrom: nil) { _ in
                written.withLock { $0 += 1 }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        while written.withLock({ $0 }) < 3 { try await Task.sleep(for: .milliseconds(2)) }
        task.cancel()
        let outcome = await task.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(written.withLock { $0 } < 1000)
    }
}
