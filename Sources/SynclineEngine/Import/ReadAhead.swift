import SynclineCore

/// Fetches a listing one page ahead of the writer: while a page is being mapped and written, the next one is
/// already on its way from the provider, so the import waits for the slower of the two, not for both in turn.
/// The next page is also prepared there (`prepare`: ids, mapping, stored text and hashes), so that work overlaps
/// the write too. At most two pages are held (the one being written and the next), so memory stays flat in
/// listing size.
enum ReadAhead {
    private enum Item<Prepared: Sendable>: Sendable {
        case page(Prepared)
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
        let (items, itemSink) = AsyncThrowingStream<Item<Prepared>, any Error>.makeStream()
        let (credits, creditSink) = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    var wanted = credits.makeAsyncIterator()
                    for try await page in try source.pages(params: params, since: cursor, resumingFrom: checkpoint) {
                        try Task.checkCancellation()
                        itemSink.yield(.page(try prepare(page)))
                        // The writer took this page: fetch the next one while it writes.
                        if await wanted.next() == nil { return itemSink.finish() }
                    }
                    itemSink.yield(.end)
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
