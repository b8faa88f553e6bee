import SynclineCore

/// Decides, from each response, how to ask for the next page, or that there is none. Pure state machines:
/// the HTTP client does the I/O, so every style is tested on plain values.
public protocol Paginator: Sendable {
    /// What the first request adds to the entity type's list request.
    mutating func firstPage() -> PageRequest
    /// The next request after `response`, or nil when the listing is complete.
    mutating func nextPage(after response: PageResponse) throws(PaginationError) -> PageRequest?
    /// What the paginator has counted and remembered so far, so a listing cut short can resume where it was.
    var state: PaginatorState { get }
    /// Continues from a saved `state` instead of the beginning.
    mutating func restore(_ state: PaginatorState)
}

/// A paginator's progress as a plain value (stored in a sync's checkpoint). Each style uses the fields it needs.
public struct PaginatorState: Sendable, Hashable, Codable {
    public var pagesSeen = 0
    public var recordsSeen = 0
    /// The page number or offset to ask for next.
    public var position: Int?
    /// The previous cursor or next-page URL, to catch a provider that repeats itself across a resume too.
    public var previous: String?
    /// How many records the provider said the listing has, when it says (page-number and offset styles).
    public var total: Int?

    public init(pagesSeen: Int = 0, recordsSeen: Int = 0, position: Int? = nil, previous: String? = nil) {
        self.pagesSeen = pagesSeen
        self.recordsSeen = recordsSeen
        self.position = position
        self.previous = previous
    }
}

/// Changes to the list request for one page.
public struct PageRequest: Sendable, Hashable, Codable {
    /// Query parameters to set (replacing any of the same name).
    public var query: [String: String]
    /// Members to set in a JSON request body (cursor APIs that list with POST).
    public var body: [String: JSONValue]
    /// A full URL to fetch instead of the list path (next-link styles).
    public var url: String?

    public init(query: [String: String] = [:], body: [String: JSONValue] = [:], url: String? = nil) {
        self.query = query
        self.body = body
        self.url = url
    }
}

/// What a paginator sees of a response.
public struct PageResponse: Sendable {
    public var body: JSONValue
    /// Header names in lower case.
    public var headers: [String: String]
    /// How many records the page held (after the record selector).
    public var recordCount: Int

    public init(body: JSONValue, headers: [String: String] = [:], recordCount: Int) {
        self.body = body
        self.headers = Dictionary(
            headers.map { ($0.key.lowercased(), $0.value) },
            uniquingKeysWith: { _, last in last }
        )
        self.recordCount = recordCount
    }
}

/// A listing that would loop or has gone wrong; it stops the sync with a message naming the page.
public struct PaginationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var page: Int
    public var message: String

    public var description: String { "page \(page): \(message)" }
}

extension JSONValue {
    /// The value at a path of object keys.
    func value(at path: [String]) -> JSONValue? {
        var current = self
        for key in path {
            guard case .object(let members) = current, let next = members[key] else { return nil }
            current = next
        }
        return current
    }

    /// A scalar as text (numbers without a trailing `.0`), nil for null, objects and arrays.
    var scalarText: String? {
        switch self {
        case .string(let text): text
        case .number(let number):
            number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): String(flag)
        case .null, .array, .object: nil
        }
    }
}

/// A listing that is one response.
struct SinglePagePaginator: Paginator {
    mutating func firstPage() -> PageRequest { PageRequest() }
    mutating func nextPage(after response: PageResponse) throws(PaginationError) -> PageRequest? { nil }
    var state: PaginatorState { PaginatorState() }
    mutating func restore(_ state: PaginatorState) {}
}
