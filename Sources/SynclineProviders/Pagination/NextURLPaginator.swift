import Foundation
import SynclineCore

/// A next-page URL in the body: Salesforce `nextRecordsUrl` (relative, with `done`), Microsoft Graph
/// `@odata.nextLink` (absolute). The same URL twice is an error, never a loop.
public struct NextURLPaginator: Paginator {
    public struct Settings: Sendable, Hashable {
        public var urlPath: [String]
        /// A boolean in the response that is true on the last page (Salesforce `done`).
        public var donePath: [String]?

        public init(urlPath: [String], donePath: [String]? = nil) {
            self.urlPath = urlPath
            self.donePath = donePath
        }
    }

    let settings: Settings
    private var previousURL: String?
    private var pagesSeen = 0

    public init(_ settings: Settings) {
        self.settings = settings
    }

    public var state: PaginatorState { PaginatorState(pagesSeen: pagesSeen, previous: previousURL) }

    public mutating func restore(_ state: PaginatorState) {
        pagesSeen = state.pagesSeen
        previousURL = state.previous
    }

    public mutating func firstPage() -> PageRequest { PageRequest() }

    public mutating func nextPage(after response: PageResponse) throws(PaginationError) -> PageRequest? {
        pagesSeen += 1
        if let path = settings.donePath, response.body.value(at: path) == .bool(true) { return nil }
        guard let url = response.body.value(at: settings.urlPath)?.scalarText, !url.isEmpty else { return nil }
        guard url != previousURL else {
            throw PaginationError(
                page: pagesSeen,
                message: "the provider repeated the previous next-page URL; stopping"
            )
        }
        previousURL = url
        return PageRequest(url: url)
    }
}
