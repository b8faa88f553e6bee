import SynclineCore

/// Reads a listing ahead of the writer in two stages, each in a task of its own: fetching (the request, and the
/// parse of the response) and preparing (`prepare`: ids, mapping, stored text and hashes). While page n is
/// written, page n + 1 is prepared and page n + 2 is on its way from the provider, so the import waits for the
/// slowest of the three, not for all of them in turn. With the two in one task, the provider's time to answer a
/// page could not overlap our own work on the page before: a listing of 100 pages sat idle for a third of its
/// time on a 2-core host. Each stage holds at most one finished page until the next stage takes it, so memory
/// stays flat in listing size: the page being written, one prepared, one being prepared, one being fetched.
enum ReadAhead {
    private enum Item<Value: Sendable>: Sendable {
        case page(Value)
        /// The listing's last page was delivered: only after this may a caller treat the listing as complete.
        case end
    }

    /// Calls `body` with every page of the listing as it came.
    static func pages(
        of source: any RecordSource,
        params: [String: String],
        since cursor: String?,
        resumingFrom checkpoint: String?,
        _ body: (SourcePage) async throws -> Void
    ) async throws {
        try await pages(of: source, params: params, since: cursor, resumingFrom: checkpoint, prepare: { $0 }, body)
    }

    /// Calls `body` with every page of the listing, prepared, in order. Throws the listing's error, or the body's (which
    /// stops the fetching); a cancelled task throws `CancellationError` rather than ending early, so a listing
    /// cut short is never mistaken for a whole one (which would mark the unseen records deleted).
    static func pages<Prepared: Sendable>(
        of source: any RecordSource,
        params: [String: String],
        since cursor: String?,
        resumingFrom checkpoint: String?,
        prepare: @escaping @Sendable (SourcePage) throws -> Prepared,
        _ body: (Prepared) async throws -> Void
    ) async throws {
        // Each stream carries one stage's finished pages; each credit stream says the next stage took one.
        let (fetched, fetchedSink) = AsyncThrowingStream<Item<SourcePage>, any Error>.makeStream()
        let (fetchCredits, fetchCreditSink) = AsyncStream<Void>.makeStream()
        let (items, itemSink) = AsyncThrowingStream<Item<Prepared>, any Error>.makeStream()
        let (credits, creditSink) = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    var wanted = fetchCredits.makeAsyncIterator()
                    for try await page in try source.pages(params: params, since: cursor, resumingFrom: checkpoint) {
                        try Task.checkCancellation()
                        fetchedSink.yield(.page(page))
                        // Preparing took this page: fetch the next one while it is prepared.
                        if await wanted.next() == nil { return fetchedSink.finish() }
                    }
                    fetchedSink.yield(.end)
                    fetchedSink.finish()
                } catch {
                    fetchedSink.finish(throwing: error)
                }
            }
            group.addTask {
                // However this stage ends, the fetching stage must not wait for a credit that will never come.
                defer { fetchCreditSink.finish() }
                do {
                    var wanted = credits.makeAsyncIterator()
                    for try await item in fetched {
                        try Task.checkCancellation()
                        switch item {
                        case .page(let page):
                            fetchCreditSink.yield(())
                            itemSink.yield(.page(try prepare(page)))
                            // The writer took this page: prepare the next one while it writes.
                            if await wanted.next() == nil { return itemSink.finish() }
                        case .end:
                            itemSink.yield(.end)
                        }
                    }
                    itemSink.finish()
                } catch {
                    itemSink.finish(throwing: error)
                }
            }
            var complete = false
            do {
                for try await item in items {
                    // Buffered items are handed out even to a cancelled task: look, so a cancelled import stops.
                    try Task.checkCancellation()
                    switch item {
                    case .page(let page):
                        creditSink.yield(())
                        try await body(page)
                    case .end:
                        complete = true
                    }
                }
            } catch {
                creditSink.finish()
                group.cancelAll()
                throw error
            }
            creditSink.finish()
            try await group.waitForAll()
            guard complete else { throw CancellationError() }
        }
    }
}
