import SynclineCore

/// Numbered pages (HaloPSA: `pageinate=true&page_size=1000&page_no=1`, total in `record_count`).
/// Stops on a short or empty page or when the stated total is reached; more records than the total is an error.
public struct PageNumberPaginator: Paginator {
    public struct Settings: Sendable, Hashable {
        public var pageParameter: String
        public var sizeParameter: String
        public var pageSize: Int
        public var firstPage: Int
        /// Where the response states the total number of records, if it does.
        public var totalPath: [String]?
        /// Parameters every page request carries (`pageinate=true`).
        public var extraQuery: [String: String]

        public init(
            pageParameter: String,
            sizeParameter: String,
            pageSize: Int,
            firstPage: Int = 1,
            totalPath: [String]? = nil,
            extraQuery: [String: String] = [:]
        ) {
            self.pageParameter = pageParameter
            self.sizeParameter = sizeParameter
            self.pageSize = pageSize
            self.firstPage = firstPage
            self.totalPath = totalPath
            self.extraQuery = extraQuery
        }
    }

    let settings: Settings
    private var page: Int
    private var pagesSeen = 0
    private var recordsSeen = 0
    private var statedTotal: Int?

    public init(_ settings: Settings) {
        self.settings = settings
        self.page = settings.firstPage
    }

    public mutating func firstPage() -> PageRequest { request(page) }

    public var state: PaginatorState {
        var state = PaginatorState(pagesSeen: pagesSeen, recordsSeen: recordsSeen, position: page)
        state.total = statedTotal
        return state
    }

    public mutating func restore(_ state: PaginatorState) {
        pagesSeen = state.pagesSeen
        recordsSeen = state.recordsSeen
        page = state.position ?? settings.firstPage
        statedTotal = state.total
    }

    public mutating func nextPage(after response: PageResponse) throws(PaginationError) -> PageRequest? {
        pagesSeen += 1
        recordsSeen += response.recordCount
        if let path = settings.totalPath, let text = response.body.value(at: path)?.scalarText {
            guard let total = Int(text) else {
                throw PaginationError(
                    page: pagesSeen,
                    message: "the total at \(path.joined(separator: ".")) is not a number: \(text)"
                )
            }
            statedTotal = total
            guard recordsSeen <= total else {
                throw PaginationError(
                    page: pagesSeen,
                    message: "\(recordsSeen) records received but the provider stated a total of \(total); stopping"
                )
            }
            if recordsSeen == total { return nil }
        }
        guard response.recordCount >= settings.pageSize, response.recordCount > 0 else { return nil }
        page += 1
        return request(page)
    }

    private func request(_ page: Int) -> PageRequest {
        var query = settings.extraQuery
        query[settings.pageParameter] = String(page)
        query[settings.sizeParameter] = String(settings.pageSize)
        return PageRequest(query: query)
    }
}
