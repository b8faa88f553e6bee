import SynclineCore

/// An upstream at the engine's port: fixed pages, resumable by page number, that can fail after a chosen page
/// on a chosen attempt. It stands where a provider session stands, so the runner is tested against a real
/// store without any HTTP.
final class ScriptedSource: RecordSource, @unchecked Sendable {
    let idField = "id"
    let cursorField: String?
    /// Every listing's arguments, for assertions.
    private(set) var listings: [(since: String?, resume: String?, params: [String: String])] = []
    private var pagesByListing: [[[JSONValue]]]
    private var failAfterPage: Int?
    private var requests = 0

    /// `pages` for every listing; `listings` replaces them per listing (the upstream changed in between).
    init(pages: [[JSONValue]], cursorField: String? = nil, failAfterPage: Int? = nil) {
        self.pagesByListing = [pages]
        self.cursorField = cursorField
        self.failAfterPage = failAfterPage
    }

    /// The upstream's data from the next listing on.
    func replacePages(_ pages: [[JSONValue]]) {
        pagesByListing = [pages]
    }

    func pages(
        params: [String: String],
        since cursor: String?,
        resumingFrom checkpoint: String?
    ) throws -> any AsyncSequence<SourcePage, any Error> {
        listings.append((cursor, checkpoint, params))
        let pages = pagesByListing[0]
        let start = checkpoint.flatMap { Int($0.dropFirst("page-".count)) } ?? 0
        let failAfter = failAfterPage
        failAfterPage = nil
        return AsyncThrowingStream<SourcePage, any Error> { continuation in
            for index in start..<pages.count {
                if let failAfter, index == failAfter {
                    continuation.finish(throwing: ProviderError(.server, "the provider answered 503"))
                    return
                }
                self.requests += 1
                continuation.yield(
                    SourcePage(number: index + 1, records: pages[index], checkpoint: "page-\(index + 1)")
                )
            }
            continuation.finish()
        }
    }

    func statistics() async -> SourceStatistics {
        SourceStatistics(requests: requests)
    }
}

/// `count` client records from `first`, split into pages of `size`; `name` varies the content.
func clientPages(_ ids: ClosedRange<Int>, size: Int, name: String = "Client", updated: String? = nil) -> [[JSONValue]] {
    let records: [JSONValue] = ids.map { id in
        var object: [String: JSONValue] = ["id": .number(Double(id)), "name": .string("\(name) \(id)")]
        if let updated { object["last_update"] = .string(updated) }
        return .object(object)
    }
    return stride(from: 0, to: records.count, by: size).map { Array(records[$0..<min($0 + size, records.count)]) }
}
