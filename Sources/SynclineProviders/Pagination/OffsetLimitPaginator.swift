import SynclineCore

/// Offset and limit (Mailchimp: `offset`/`count`, total in `total_items`). Stops on a short page or when the
/// offset reaches the stated total; records beyond the total are an error.
public struct OffsetLimitPaginator: Paginator {
    public struct Settings: Sendable, Hashable {
        public var offsetParameter: String
        public var limitParameter: String
        public var pageSize: Int
        public var totalPath: [String]?

        public init(offsetParameter: String, limitParameter: String, pageSize: Int, totalPath: [String]? = nil) {
            self.offsetParameter = offsetParameter
            self.limitParameter = limitParameter
            self.pageSize = pageSize
            self.totalPath = totalPath
        }
    }

    let settings: Settings
    private var offset = 0
    private var pagesSeen = 0
    private var statedTotal: Int?

    public init(_ settings: Settings) {
        self.settings = settings
    }

    public mutating func firstPage() -> PageRequest { request() }

    public var state: PaginatorState {
        var state = PaginatorState(pagesSeen: pagesSeen, recordsSeen: offset, position: offset)
        state.total = statedTotal
        return state
    }

    public mutating func restore(_ state: PaginatorState) {
        pagesSeen = state.pagesSeen
        statedTotal = state.total
        offset = state.position ?? state.recordsSeen
    }

    public mutating func nextPage(after response: PageResponse) throws(PaginationError) -> PageRequest? {
        pagesSeen += 1
        offset += response.recordCount
        if let path = settings.totalPath, let text = response.body.value(at: path)?.scalarText {
            guard let total = Int(text) else {
                throw PaginationError(
                    page: pagesSeen,
                    message: "the total at \(path.joined(separator: ".")) is not a number: \(text)"
                )
            }
            statedTotal = total
            guard offset <= total else {
                throw PaginationError(
                    page: pagesSeen,
                    message: "\(offset) records received but the provider stated a total of \(total); stopping"
                )
            }
            if offset == total { return nil }
        }
        guard response.recordCount >= settings.pageSize, response.recordCount > 0 else { return nil }
        return request()
    }

    private func request() -> PageRequest {
        PageRequest(query: [
            settings.offsetParameter: String(offset), settings.limitParameter: String(settings.pageSize),
        ])
    }
}
