/// How an entity type's list endpoint pages, as declared in its provider file.
public enum PaginationStyle: Sendable, Hashable {
    /// One response holds everything.
    case none
    case pageNumber(PageNumberPaginator.Settings)
    case offsetLimit(OffsetLimitPaginator.Settings)
    case bodyCursor(BodyCursorPaginator.Settings)
    case nextURL(NextURLPaginator.Settings)
    case linkHeader(LinkHeaderPaginator.Settings)

    /// The style's name in provider files.
    public var name: String {
        switch self {
        case .none: "none"
        case .pageNumber: "page_number"
        case .offsetLimit: "offset_limit"
        case .bodyCursor: "cursor"
        case .nextURL: "next_url"
        case .linkHeader: "link_header"
        }
    }

    /// A fresh paginator for one run through the pages.
    public func makePaginator() -> any Paginator {
        switch self {
        case .none: SinglePagePaginator()
        case .pageNumber(let settings): PageNumberPaginator(settings)
        case .offsetLimit(let settings): OffsetLimitPaginator(settings)
        case .bodyCursor(let settings): BodyCursorPaginator(settings)
        case .nextURL(let settings): NextURLPaginator(settings)
        case .linkHeader(let settings): LinkHeaderPaginator(settings)
        }
    }
}
