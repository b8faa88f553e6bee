import Foundation

/// RFC 8288 `Link: <https://...>; rel="next"` headers (GitHub-style APIs). The same link twice is an error.
public struct LinkHeaderPaginator: Paginator {
    public struct Settings: Sendable, Hashable {
        public var sizeParameter: String?
        public var pageSize: Int?

        public init(sizeParameter: String? = nil, pageSize: Int? = nil) {
            self.sizeParameter = sizeParameter
            self.pageSize = pageSize
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

    public mutating func firstPage() -> PageRequest {
        guard let parameter = settings.sizeParameter, let size = settings.pageSize else { return PageRequest() }
        return PageRequest(query: [parameter: String(size)])
    }

    public mutating func nextPage(after response: PageResponse) throws(PaginationError) -> PageRequest? {
        pagesSeen += 1
        guard let header = response.headers["link"], let next = Self.links(in: header)["next"] else { return nil }
        guard next != previousURL else {
            throw PaginationError(page: pagesSeen, message: "the provider repeated the previous next link; stopping")
        }
        previousURL = next
        return PageRequest(url: next)
    }

    /// The links of a `Link` header by relation type. Each `rel` may name several space-separated types.
    public static func links(in header: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(header)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let target = String(rest[rest.index(after: open)..<close])
            let paramsEnd = rest[close...].dropFirst().firstIndex(of: "<") ?? rest.endIndex
            let parameters = rest[rest.index(after: close)..<paramsEnd]
            for parameter in parameters.split(separator: ";") {
                let pair = parameter.split(separator: "=", maxSplits: 1).map {
                    $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ",")))
                }
                guard pair.count == 2, pair[0].lowercased() == "rel" else { continue }
                let types = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).lowercased()
                for type in types.split(separator: " ") where result[String(type)] == nil {
                    result[String(type)] = target
                }
            }
            rest = rest[paramsEnd...]
        }
        return result
    }
}
