import SynclineCore

/// A cursor the response hands back for the next request: HubSpot `paging.next.after`, Notion `next_cursor`
/// with `has_more` (sent in a POST body), Airtable `offset`, Zoom `next_page_token` (empty means done),
/// Gong `records.cursor`. A cursor equal to the previous one is an error, never a loop.
public struct BodyCursorPaginator: Paginator {
    /// Where the cursor goes in the next request.
    public enum Placement: String, Sendable, Hashable, CaseIterable {
        case query
        case body
    }

    public struct Settings: Sendable, Hashable {
        /// Where the next cursor is in the response.
        public var cursorPath: [String]
        /// The request parameter (or body member) that carries it.
        public var parameter: String
        public var placement: Placement
        /// A boolean in the response that says whether more pages follow (Notion `has_more`).
        public var hasMorePath: [String]?
        public var sizeParameter: String?
        public var pageSize: Int?

        public init(
            cursorPath: [String],
            parameter: String,
            placement: Placement = .query,
            hasMorePath: [String]? = nil,
            sizeParameter: String? = nil,
            pageSize: Int? = nil
        ) {
            self.cursorPath = cursorPath
            self.parameter = parameter
            self.placement = placement
            self.hasMorePath = hasMorePath
            self.sizeParameter = sizeParameter
            self.pageSize = pageSize
        }
    }

    let settings: Settings
    private var previousCursor: String?
    private var pagesSeen = 0

    public init(_ settings: Settings) {
        self.settings = settings
    }

    public mutating func firstPage() -> PageRequest { request(cursor: nil) }

    public var state: PaginatorState { PaginatorState(pagesSeen: pagesSeen, previous: previousCursor) }

    public mutating func restore(_ state: PaginatorState) {
        pagesSeen = state.pagesSeen
        previousCursor = state.previous
    }

    public mutating func nextPage(after response: PageResponse) throws(PaginationError) -> PageRequest? {
        pagesSeen += 1
        if let path = settings.hasMorePath, response.body.value(at: path) == .bool(false) { return nil }
        guard let cursor = response.body.value(at: settings.cursorPath)?.scalarText, !cursor.isEmpty else {
            return nil
        }
        guard cursor != previousCursor else {
            throw PaginationError(
                page: pagesSeen,
                message: "the provider repeated the previous cursor \(cursor); stopping"
            )
        }
        previousCursor = cursor
        return request(cursor: cursor)
    }

    private func request(cursor: String?) -> PageRequest {
        var request = PageRequest()
        if let size = settings.pageSize, let parameter = settings.sizeParameter {
            switch settings.placement {
            case .query: request.query[parameter] = String(size)
            case .body: request.body[parameter] = .number(Double(size))
            }
        }
        if let cursor {
            switch settings.placement {
            case .query: request.query[settings.parameter] = cursor
            case .body: request.body[settings.parameter] = .string(cursor)
            }
        }
        return request
    }
}
