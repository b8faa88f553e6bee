import SynclineCore
import SynclineProviders
import Testing

/// Drives a paginator over canned pages as the HTTP client would, returning the requests it asked for.
private func walk(
    _ style: PaginationStyle,
    pages: [(body: JSONValue, headers: [String: String], count: Int)]
) throws -> [PageRequest] {
    var paginator = style.makePaginator()
    var requests = [paginator.firstPage()]
    for (index, page) in pages.enumerated() {
        let next = try paginator.nextPage(
            after: PageResponse(body: page.body, headers: page.headers, recordCount: page.count)
        )
        guard let next else {
            #expect(index == pages.count - 1, "stopped after page \(index + 1) of \(pages.count)")
            return requests
        }
        requests.append(next)
    }
    return requests
}

@Suite("Pagination: page number (HaloPSA)")
struct PageNumberPaginationTests {
    let style = PaginationStyle.pageNumber(
        .init(
            pageParameter: "page_no",
            sizeParameter: "page_size",
            pageSize: 2,
            totalPath: ["record_count"],
            extraQuery: ["pageinate": "true"]
        )
    )

    @Test("walks numbered pages until the stated total is reached")
    func total() throws {
        let requests = try walk(
            style,
            pages: [(["record_count": 5], [:], 2), (["record_count": 5], [:], 2), (["record_count": 5], [:], 1)]
        )
        #expect(requests.map { $0.query["page_no"] } == ["1", "2", "3"])
        #expect(requests.allSatisfy { $0.query["pageinate"] == "true" && $0.query["page_size"] == "2" })
    }

    @Test("remembers the stated total, across a restore, for progress and an ETA")
    func statedTotal() throws {
        var paginator = style.makePaginator()
        #expect(paginator.state.total == nil)
        _ = paginator.firstPage()
        _ = try paginator.nextPage(after: PageResponse(body: ["record_count": 5], recordCount: 2))
        #expect(paginator.state.total == 5)
        var resumed = style.makePaginator()
        resumed.restore(paginator.state)
        #expect(resumed.state.total == 5)
    }

    @Test("stops on the exact total without asking for an empty page")
    func exactTotal() throws {
        let requests = try walk(style, pages: [(["record_count": 4], [:], 2), (["record_count": 4], [:], 2)])
        #expect(requests.count == 2)
    }

    @Test("stops on a short page when no total is stated")
    func shortPage() throws {
        let noTotal = PaginationStyle.pageNumber(.init(pageParameter: "page", sizeParameter: "size", pageSize: 3))
        let requests = try walk(noTotal, pages: [([:], [:], 3), ([:], [:], 3), ([:], [:], 0)])
        #expect(requests.map { $0.query["page"] } == ["1", "2", "3"])
    }

    @Test("more records than the stated total is an error, not an endless loop")
    func overrun() throws {
        var paginator = style.makePaginator()
        _ = paginator.firstPage()
        _ = try paginator.nextPage(after: PageResponse(body: ["record_count": 3], recordCount: 2))
        let error = #expect(throws: PaginationError.self) {
            try paginator.nextPage(after: PageResponse(body: ["record_count": 3], recordCount: 2))
        }
        #expect(error?.page == 2)
        #expect(error?.description.contains("stated a total of 3") == true)
    }
}

@Suite("Pagination: offset and limit (Mailchimp)")
struct OffsetLimitPaginationTests {
    let style = PaginationStyle.offsetLimit(
        .init(offsetParameter: "offset", limitParameter: "count", pageSize: 10, totalPath: ["total_items"])
    )

    @Test("advances the offset by the records received until the total")
    func total() throws {
        let requests = try walk(
            style,
            pages: [(["total_items": 25], [:], 10), (["total_items": 25], [:], 10), (["total_items": 25], [:], 5)]
        )
        #expect(requests.map { $0.query["offset"] } == ["0", "10", "20"])
        #expect(requests.allSatisfy { $0.query["count"] == "10" })
    }

    @Test("records beyond the total are an error")
    func overrun() throws {
        var paginator = style.makePaginator()
        _ = paginator.firstPage()
        #expect(throws: PaginationError.self) {
            try paginator.nextPage(after: PageResponse(body: ["total_items": 5], recordCount: 10))
        }
    }
}

@Suite("Pagination: cursor in the body")
struct CursorPaginationTests {
    @Test("HubSpot: paging.next.after until paging is absent")
    func hubspot() throws {
        let style = PaginationStyle.bodyCursor(
            .init(cursorPath: ["paging", "next", "after"], parameter: "after", sizeParameter: "limit", pageSize: 100)
        )
        let requests = try walk(
            style,
            pages: [(["paging": ["next": ["after": "a1"]]], [:], 100), (["results": []], [:], 3)]
        )
        #expect(requests.map { $0.query["after"] } == [nil, "a1"])
        #expect(requests.allSatisfy { $0.query["limit"] == "100" })
    }

    @Test("Notion: next_cursor in a POST body until has_more is false")
    func notion() throws {
        let style = PaginationStyle.bodyCursor(
            .init(
                cursorPath: ["next_cursor"],
                parameter: "start_cursor",
                placement: .body,
                hasMorePath: ["has_more"],
                sizeParameter: "page_size",
                pageSize: 100
            )
        )
        let requests = try walk(
            style,
            pages: [
                (["has_more": true, "next_cursor": "c1"], [:], 100),
                (["has_more": false, "next_cursor": "c2"], [:], 4),
            ]
        )
        #expect(requests.map { $0.body["start_cursor"] } == [nil, "c1"])
        #expect(requests.allSatisfy { $0.body["page_size"] == 100 && $0.query.isEmpty })
    }

    @Test("Zoom: an empty next_page_token ends the listing")
    func zoom() throws {
        let style = PaginationStyle.bodyCursor(.init(cursorPath: ["next_page_token"], parameter: "next_page_token"))
        let requests = try walk(
            style,
            pages: [(["next_page_token": "z1"], [:], 30), (["next_page_token": ""], [:], 30)]
        )
        #expect(requests.count == 2)
    }

    @Test("Airtable offset and Gong records.cursor end when absent")
    func absentCursor() throws {
        let airtable = PaginationStyle.bodyCursor(.init(cursorPath: ["offset"], parameter: "offset"))
        #expect(
            try walk(airtable, pages: [(["offset": "itr1"], [:], 100), (["records": []], [:], 7)]).map {
                $0.query["offset"]
            } == [nil, "itr1"]
        )
        let gong = PaginationStyle.bodyCursor(.init(cursorPath: ["records", "cursor"], parameter: "cursor"))
        #expect(
            try walk(gong, pages: [(["records": ["cursor": "g1"]], [:], 100), (["records": [:]], [:], 2)]).count == 2
        )
    }

    @Test("a repeated cursor is an error naming the page")
    func repeated() throws {
        var paginator = PaginationStyle.bodyCursor(.init(cursorPath: ["next"], parameter: "cursor")).makePaginator()
        _ = paginator.firstPage()
        _ = try paginator.nextPage(after: PageResponse(body: ["next": "same"], recordCount: 10))
        let error = #expect(throws: PaginationError.self) {
            try paginator.nextPage(after: PageResponse(body: ["next": "same"], recordCount: 10))
        }
        #expect(error?.description == "page 2: the provider repeated the previous cursor same; stopping")
    }
}

@Suite("Pagination: next URL in the body")
struct NextURLPaginationTests {
    @Test("Salesforce: nextRecordsUrl until done")
    func salesforce() throws {
        let style = PaginationStyle.nextURL(.init(urlPath: ["nextRecordsUrl"], donePath: ["done"]))
        let requests = try walk(
            style,
            pages: [
                (["done": false, "nextRecordsUrl": "/services/data/v60.0/query/01g-2000"], [:], 2000),
                (["done": true, "nextRecordsUrl": "/ignored"], [:], 10),
            ]
        )
        #expect(requests.map(\.url) == [nil, "/services/data/v60.0/query/01g-2000"])
    }

    @Test("Microsoft Graph: @odata.nextLink, a key with a dot in it")
    func graph() throws {
        let style = PaginationStyle.nextURL(.init(urlPath: ["@odata.nextLink"]))
        let link = "https://graph.microsoft.com/v1.0/users?$skiptoken=X"
        let requests = try walk(
            style,
            pages: [(["@odata.nextLink": .string(link)], [:], 100), (["value": []], [:], 1)]
        )
        #expect(requests.map(\.url) == [nil, link])
    }

    @Test("the same next URL twice is an error")
    func repeated() throws {
        var paginator = PaginationStyle.nextURL(.init(urlPath: ["next"])).makePaginator()
        _ = paginator.firstPage()
        _ = try paginator.nextPage(after: PageResponse(body: ["next": "/p2"], recordCount: 1))
        #expect(throws: PaginationError.self) {
            try paginator.nextPage(after: PageResponse(body: ["next": "/p2"], recordCount: 1))
        }
    }
}

@Suite("Pagination: RFC 8288 Link header")
struct LinkHeaderPaginationTests {
    @Test("follows rel=next and stops without it")
    func follow() throws {
        let style = PaginationStyle.linkHeader(.init(sizeParameter: "per_page", pageSize: 50))
        let header =
            #"<https://api.example.com/items?page=2&per_page=50>; rel="next", <https://api.example.com/items?page=9>; rel="last""#
        let requests = try walk(style, pages: [([], ["Link": header], 50), ([], [:], 12)])
        #expect(requests.first?.query["per_page"] == "50")
        #expect(requests.last?.url == "https://api.example.com/items?page=2&per_page=50")
    }

    @Test("parses several relations, unquoted rel values and multi-type rels")
    func parse() {
        let links = LinkHeaderPaginator.links(
            in: #"<https://a/1>; rel=prev, <https://a/3>; title="x,y"; rel="next last""#
        )
        #expect(links["prev"] == "https://a/1")
        #expect(links["next"] == "https://a/3")
        #expect(links["last"] == "https://a/3")
        #expect(LinkHeaderPaginator.links(in: "garbage").isEmpty)
    }

    @Test("the same link twice is an error")
    func repeated() throws {
        var paginator = PaginationStyle.linkHeader(.init()).makePaginator()
        _ = paginator.firstPage()
        let headers = ["link": "<https://a/2>; rel=\"next\""]
        _ = try paginator.nextPage(after: PageResponse(body: [], headers: headers, recordCount: 1))
        #expect(throws: PaginationError.self) {
            try paginator.nextPage(after: PageResponse(body: [], headers: headers, recordCount: 1))
        }
    }
}
