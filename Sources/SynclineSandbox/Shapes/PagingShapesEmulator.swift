import Foundation
import Hummingbird

/// Small list endpoints shaped like the providers that use each pagination style (Mailchimp, HubSpot, Notion,
/// Airtable, Zoom, Gong, Salesforce, Microsoft Graph, a GitHub-style `Link` header), each serving the same
/// `count` items, so a client's paging can be proven against real HTTP without an account anywhere.
///
/// Each shape follows the provider's documented request parameters and response keys; the data is plain
/// (`{"id": n, "name": "Item n"}`, Airtable and Salesforce use their own id forms). `/stuck/...` variants repeat
/// their cursor or link forever, to prove a client stops instead of looping.
public struct PagingShapesEmulator: Sendable {
    /// How many items every shape serves.
    public let count: Int
    public let requests: SandboxRequestLog

    public init(count: Int) {
        self.count = max(0, count)
        self.requests = SandboxRequestLog()
    }

    /// Mounts every shape under `prefix`: `{prefix}/mailchimp/3.0/lists`, `{prefix}/hubspot/crm/v3/objects/contacts`,
    /// `{prefix}/notion/v1/databases/demo/query` (POST), `{prefix}/airtable/v0/appDemo/Items`,
    /// `{prefix}/zoom/v2/users`, `{prefix}/gong/v2/calls`, `{prefix}/salesforce/services/data/v59.0/query`,
    /// `{prefix}/graph/v1.0/users`, `{prefix}/linkheader/items`.
    public func register<Context: RequestContext>(on router: Router<Context>, at prefix: String = "/shapes") {
        let group = router.group(RouterPath(prefix))
        for method in [HTTPRequest.Method.get, .post] {
            group.on("**", method: method) { request, context in
                var request = request
                let body = try await request.collectBody(upTo: 1 << 20)
                let received = Date()
                let response = self.respond(
                    request,
                    path: context.parameters.getCatchAll().map(String.init),
                    body: Data(body.readableBytesView),
                    prefix: prefix
                )
                self.requests.record(request, receivedAt: received, status: response.status)
                return response
            }
        }
    }

    private func respond(_ request: Request, path: [String], body: Data, prefix: String) -> Response {
        let query = FormFields(request.uri.query)
        let stuck = path.first == "stuck"
        let route = (stuck ? path.dropFirst() : path[...]).joined(separator: "/")
        let origin = "http://\(request.head.authority ?? "127.0.0.1")\(prefix)"
        switch (request.method, route) {
        case (.get, "mailchimp/3.0/lists"):
            return mailchimp(query)
        case (.get, "hubspot/crm/v3/objects/contacts"):
            return hubspot(query, stuck: stuck)
        case (.post, "notion/v1/databases/demo/query"):
            return notion(body)
        case (.get, "airtable/v0/appDemo/Items"):
            return airtable(query)
        case (.get, "zoom/v2/users"):
            return zoom(query)
        case (.get, "gong/v2/calls"):
            return gong(query)
        case (.get, "salesforce/services/data/v59.0/query"):
            return salesforce(start: 0, origin: origin)
        case (.get, let locator) where locator.hasPrefix("salesforce/services/data/v59.0/query/"):
            return salesforce(start: Self.number(after: "-", in: locator) ?? 0, origin: origin)
        case (.get, "graph/v1.0/users"):
            return graph(query, origin: origin, stuck: stuck)
        case (.get, "linkheader/items"):
            return linkHeader(query, origin: origin, stuck: stuck)
        default:
            return Self.json(.object(["error": .string("not_found")]), status: .notFound)
        }
    }

    // MARK: shapes

    /// Mailchimp: `offset` and `count` (max 1000), the total in `total_items`.
    private func mailchimp(_ query: FormFields) -> Response {
        let offset = Int(query["offset"] ?? "") ?? 0
        let size = min(1000, Int(query["count"] ?? "") ?? 10)
        return Self.json(.object(["lists": items(offset, size), "total_items": .int(count)]))
    }

    /// HubSpot: `limit` and `after`; `paging.next.after` only while more remain.
    private func hubspot(_ query: FormFields, stuck: Bool) -> Response {
        let offset = stuck ? 0 : Self.offset(query["after"])
        let size = min(100, Int(query["limit"] ?? "") ?? 10)
        var members: [SandboxJSON.Member] = [.init(name: "results", value: items(offset, size))]
        if stuck || offset + size < count {
            let next = SandboxJSON.object(["after": .string(Self.cursor(offset + size))])
            members.append(.init(name: "paging", value: .object(["next": next])))
        }
        return Self.json(.object(members))
    }

    /// Notion: a POST body with `start_cursor` and `page_size` (max 100); `next_cursor` and `has_more`.
    private func notion(_ body: Data) -> Response {
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        let offset = Self.offset(json["start_cursor"] as? String)
        let size = min(100, json["page_size"] as? Int ?? 100)
        let more = offset + size < count
        return Self.json(
            .object([
                "object": .string("list"),
                "results": items(offset, size),
                "next_cursor": more ? .string(Self.cursor(offset + size)) : .null,
                "has_more": .bool(more),
            ])
        )
    }

    /// Airtable: `pageSize` (max 100) and `offset`; `offset` in the body only while more remain; ids `rec…`.
    private func airtable(_ query: FormFields) -> Response {
        let offset = Self.offset(query["offset"])
        let size = min(100, Int(query["pageSize"] ?? "") ?? 100)
        let records = (offset..<min(count, offset + size)).map { index -> SandboxJSON in
            .object(["id": .string("rec\(index + 1)"), "fields": .object(["Name": .string("Item \(index + 1)")])])
        }
        var members: [SandboxJSON.Member] = [.init(name: "records", value: .array(records))]
        if offset + size < count { members.append(.init(name: "offset", value: .string(Self.cursor(offset + size)))) }
        return Self.json(.object(members))
    }

    /// Zoom: `page_size` (max 300) and `next_page_token`, an empty string on the last page.
    private func zoom(_ query: FormFields) -> Response {
        let offset = Self.offset(query["next_page_token"])
        let size = min(300, Int(query["page_size"] ?? "") ?? 30)
        let next = offset + size < count ? Self.cursor(offset + size) : ""
        return Self.json(
            .object([
                "page_size": .int(size), "total_records": .int(count), "next_page_token": .string(next),
                "users": items(offset, size),
            ])
        )
    }

    /// Gong: `cursor`; pages of 100 with `records.cursor` only while more remain.
    private func gong(_ query: FormFields) -> Response {
        let offset = Self.offset(query["cursor"])
        let size = 100
        var records: [SandboxJSON.Member] = [
            .init(name: "totalRecords", value: .int(count)), .init(name: "currentPageSize", value: .int(size)),
        ]
        if offset + size < count { records.append(.init(name: "cursor", value: .string(Self.cursor(offset + size)))) }
        return Self.json(.object(["records": .object(records), "calls": items(offset, size)]))
    }

    /// Salesforce: batches of 2000; `done` and a relative `nextRecordsUrl` (`/services/data/v59.0/query/01g…-2000`).
    private func salesforce(start: Int, origin: String) -> Response {
        let size = 2000
        let records = (start..<min(count, start + size)).map { index -> SandboxJSON in
            .object(["Id": .string(String(format: "001%012d", index + 1)), "Name": .string("Item \(index + 1)")])
        }
        var members: [SandboxJSON.Member] = [
            .init(name: "totalSize", value: .int(count)), .init(name: "done", value: .bool(start + size >= count)),
        ]
        if start + size < count {
            let path = URLComponents(string: origin)?.path ?? ""
            let next = "\(path)/salesforce/services/data/v59.0/query/01gD0000000DEMO-\(start + size)"
            members.append(.init(name: "nextRecordsUrl", value: .string(next)))
        }
        members.append(.init(name: "records", value: .array(records)))
        return Self.json(.object(members))
    }

    /// Microsoft Graph: `$top` (max 999); an absolute `@odata.nextLink` carrying `$skiptoken`.
    private func graph(_ query: FormFields, origin: String, stuck: Bool) -> Response {
        let offset = stuck ? 0 : Self.offset(query["$skiptoken"])
        let size = min(999, Int(query["$top"] ?? "") ?? 100)
        var members: [SandboxJSON.Member] = [.init(name: "value", value: items(offset, size))]
        if stuck || offset + size < count {
            let root = stuck ? "\(origin)/stuck" : origin
            let link = "\(root)/graph/v1.0/users?$top=\(size)&$skiptoken=\(Self.cursor(offset + size))"
            members.insert(.init(name: "@odata.nextLink", value: .string(link)), at: 0)
        }
        return Self.json(.object(members))
    }

    /// GitHub style: `page` and `per_page` (max 100); the next page in an RFC 8288 `Link` header.
    private func linkHeader(_ query: FormFields, origin: String, stuck: Bool) -> Response {
        let page = max(1, Int(query["page"] ?? "") ?? 1)
        let size = min(100, Int(query["per_page"] ?? "") ?? 30)
        let offset = (page - 1) * size
        var headers = HTTPFields()
        var links: [String] = []
        let root = stuck ? "\(origin)/stuck" : origin
        if stuck || offset + size < count {
            let next = stuck ? page : page + 1
            links.append("<\(root)/linkheader/items?per_page=\(size)&page=\(next)>; rel=\"next\"")
        }
        links.append("<\(root)/linkheader/items?per_page=\(size)&page=1>; rel=\"first\"")
        headers.setValue(links.joined(separator: ", "), forName: "Link")
        return Self.json(items(stuck ? 0 : offset, size), headers: headers)
    }

    // MARK: helpers

    private func items(_ offset: Int, _ size: Int) -> SandboxJSON {
        let start = max(0, offset)
        guard start < count, size > 0 else { return .array([]) }
        return .array(
            (start..<min(count, start + size)).map { .object(["id": .int($0 + 1), "name": .string("Item \($0 + 1)")]) }
        )
    }

    /// Opaque-looking cursors that encode the next offset.
    static func cursor(_ offset: Int) -> String {
        Data("o:\(offset)".utf8).base64EncodedString()
    }

    static func offset(_ cursor: String?) -> Int {
        guard let cursor, let data = Data(base64Encoded: cursor) else { return 0 }
        let text = String(decoding: data, as: UTF8.self)
        return text.hasPrefix("o:") ? Int(text.dropFirst(2)) ?? 0 : 0
    }

    static func number(after separator: Character, in text: String) -> Int? {
        text.split(separator: separator).last.flatMap { Int($0) }
    }

    static func json(_ value: SandboxJSON, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.bytes))
        )
    }
}

/// A running `PagingShapesEmulator` on a loopback port.
public struct PagingShapesSandbox: Sendable {
    public let emulator: PagingShapesEmulator
    public let port: Int
    /// `http://127.0.0.1:PORT/shapes`.
    public var baseURL: String { "http://127.0.0.1:\(port)/shapes" }
}

/// Serves the paging shapes with `count` items on a free loopback port while `body` runs.
public func withPagingShapesSandbox<Result: Sendable>(
    count: Int,
    _ body: (PagingShapesSandbox) async throws -> Result
) async throws -> Result {
    let emulator = PagingShapesEmulator(count: count)
    let router = Router()
    emulator.register(on: router)
    return try await LoopbackServer.withServer(router: router, host: "127.0.0.1") { port in
        try await body(PagingShapesSandbox(emulator: emulator, port: port))
    }
}
