import Foundation
import NIOHTTP1
import SynclineCore

/// One page of records as it arrives, handed on before the next is fetched so memory stays flat.
public struct RecordPage: Sendable {
    public var entityType: String
    /// 1-based, counted per parent for per-parent listings.
    public var number: Int
    public var records: [JSONValue]
    /// The parent record's id for per-parent entity types (HaloPSA actions per ticket).
    public var parentID: String?
    /// How many records the provider says the listing holds, when it says (per parent for per-parent listings).
    public var total: Int?
    /// Where the listing stands after this page: saved with the page's records, it lets a listing cut short
    /// (a worker killed mid-sync) resume at the next page instead of page 1.
    public var checkpoint: ListingCheckpoint
}

/// A listing's position between two pages, as a plain value that is stored as JSON text in a sync's checkpoint.
public struct ListingCheckpoint: Sendable, Hashable, Codable {
    /// The request for the next page; nil when the current (parent's) listing has no more pages.
    public var next: PageRequest?
    /// Pages fetched so far in the current listing.
    public var number: Int
    public var paginator: PaginatorState
    /// For per-parent types: the parent whose children are being listed, and the parents still to do.
    public var parentID: String?
    public var pendingParentIDs: [String]
    /// The parent listing's own checkpoint (none or one: a struct cannot hold itself directly).
    public var parent: [ListingCheckpoint]

    /// Compact JSON, to store.
    public func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a stored checkpoint; a damaged one is a configuration error rather than a silent restart.
    public init(encoded text: String) throws {
        do {
            self = try JSONDecoder().decode(ListingCheckpoint.self, from: Data(text.utf8))
        } catch {
            throw ProviderError(.configuration, "the saved listing checkpoint cannot be read: \(error)")
        }
    }

    init(
        next: PageRequest?,
        number: Int,
        paginator: PaginatorState,
        parentID: String?,
        pendingParentIDs: [String],
        parent: [ListingCheckpoint]
    ) {
        self.next = next
        self.number = number
        self.paginator = paginator
        self.parentID = parentID
        self.pendingParentIDs = pendingParentIDs
        self.parent = parent
    }
}

extension ProviderSession {
    /// The pages of an entity type, fetched one at a time as the caller asks for them. `params` fill
    /// `{{params.*}}` (a date range); `since` is the incremental cursor, sent when the entity type has one.
    /// `resumingFrom` continues a listing after the page whose checkpoint it is, with the same `params` and `since`.
    public nonisolated func pages(
        of entityType: String,
        params: [String: String] = [:],
        since cursor: String? = nil,
        resumingFrom checkpoint: ListingCheckpoint? = nil
    ) throws -> RecordPages {
        guard let entity = connection.definition.entityType(named: entityType) else {
            throw ProviderError(
                .configuration,
                "\(connection.definition.name) has no entity type '\(entityType)'; it has "
                    + connection.definition.entityTypes.map(\.name).joined(separator: ", ")
            )
        }
        return RecordPages(session: self, entity: entity, params: params, cursor: cursor, resume: checkpoint)
    }

    /// Fetches one page of `entity`, and says what the paginator needs to know about it.
    func fetchPage(
        _ entity: EntityType,
        request page: PageRequest,
        number: Int,
        scopes: [String: [String: String]],
        cursor: String?
    ) async throws -> (records: [JSONValue], response: PageResponse) {
        let url = try await pageURL(entity, page, scopes: scopes, cursor: cursor)
        var body: Data?
        var headers = [("Accept", "application/json")]
        if let template = entity.list.body ?? (page.body.isEmpty ? nil : Template.emptyObject) {
            var json = try JSONValue.parse(try connection.render(template, scopes))
            if case .object(var members) = json {
                for (key, value) in page.body { members[key] = value }
                json = .object(members)
            }
            body = Data(try json.jsonString().utf8)
            headers.append(("Content-Type", "application/json"))
        }
        let what = "page \(number) of \(entity.name)"
        let response = try await send(
            method: HTTPMethod(rawValue: entity.list.method),
            url: url,
            headers: headers,
            body: body
        )
        let json = try response.json(what)
        let records: [JSONValue]
        if entity.records.isEmpty {
            guard case .array(let items) = json else {
                throw ProviderError(.badResponse, "\(what) is not a list of records")
            }
            records = items
        } else {
            let found = json.value(at: entity.records)
            if case .array(let items)? = found {
                records = items
            } else if found == nil || found == .null, number > 1 {
                records = []
            } else {
                throw ProviderError(
                    .badResponse,
                    "\(what) has no list of records at '\(entity.records.joined(separator: "."))'"
                )
            }
        }
        return (records, PageResponse(body: json, headers: response.headers, recordCount: records.count))
    }

    private func pageURL(
        _ entity: EntityType,
        _ page: PageRequest,
        scopes: [String: [String: String]],
        cursor: String?
    ) async throws -> String {
        let base = try await baseURL()
        if let next = page.url {
            if next.hasPrefix("http://") || next.hasPrefix("https://") { return next }
            guard let origin = URLComponents(string: base) else { return next }
            var components = URLComponents()
            components.scheme = origin.scheme
            components.host = origin.host
            components.port = origin.port
            return (components.string ?? "") + next
        }
        var query: [(String, String)] = []
        for (name, template) in entity.list.query.sorted(by: { $0.key < $1.key }) {
            let value = try connection.render(template, scopes)
            if !value.isEmpty { query.append((name, value)) }
        }
        if let incremental = entity.incremental, let cursor {
            query.append((incremental.parameter, cursor))
            for (name, template) in incremental.query.sorted(by: { $0.key < $1.key }) {
                query.append(
                    (name, try connection.render(template, scopes.merging(["cursor": ["value": cursor]]) { $1 }))
                )
            }
        }
        for (name, value) in page.query.sorted(by: { $0.key < $1.key }) {
            query.removeAll { $0.0 == name }
            query.append((name, value))
        }
        guard var components = URLComponents(string: base + (try connection.render(entity.list.path, scopes))) else {
            throw ProviderError(.configuration, "the \(entity.name) URL of \(connection.definition.name) is not valid")
        }
        if !query.isEmpty {
            components.queryItems = (components.queryItems ?? []) + query.map { URLQueryItem(name: $0.0, value: $0.1) }
        }
        guard let url = components.string else {
            throw ProviderError(.configuration, "the \(entity.name) URL of \(connection.definition.name) is not valid")
        }
        return url
    }
}

extension Template {
    /// `{}`: the body a POST listing starts from when the definition gives none.
    static let emptyObject: Template = {
        guard let template = try? Template(parsing: "{}") else { preconditionFailure("{} is a valid template") }
        return template
    }()
}

/// The pages of one entity type, as an `AsyncSequence`: each `next()` fetches one page. For per-parent types
/// the parent's pages are walked as well, and each parent's children listed in turn.
public struct RecordPages: AsyncSequence, Sendable {
    public typealias Element = RecordPage
    let session: ProviderSession
    let entity: EntityType
    let params: [String: String]
    let cursor: String?
    let resume: ListingCheckpoint?

    public func makeAsyncIterator() -> Iterator {
        var parents: Iterator?
        if let parentName = entity.parent, let parent = session.connection.definition.entityType(named: parentName) {
            let resumeParent = resume?.parent.first
            parents = RecordPages(session: session, entity: parent, params: params, cursor: nil, resume: resumeParent)
                .makeAsyncIterator()
        }
        return Iterator(pages: self, parents: parents.map(Box.init), resume: resume)
    }

    /// Holds the parent listing's iterator (an iterator cannot contain its own type directly).
    final class Box {
        var iterator: Iterator
        init(_ iterator: Iterator) { self.iterator = iterator }
    }

    public struct Iterator: AsyncIteratorProtocol {
        let pages: RecordPages
        let parents: Box?
        private var paginator: (any Paginator)?
        private var nextRequest: PageRequest?
        private var number = 0
        private var parentIDs: [String] = []
        private var parentID: String?
        private var finished = false

        init(pages: RecordPages, parents: Box?, resume: ListingCheckpoint?) {
            self.pages = pages
            self.parents = parents
            guard let resume else {
                if parents == nil { start() }
                return
            }
            var paginator = pages.entity.pagination.makePaginator()
            paginator.restore(resume.paginator)
            self.paginator = paginator
            nextRequest = resume.next
            number = resume.number
            parentID = resume.parentID
            parentIDs = resume.pendingParentIDs
            if parents == nil && resume.next == nil { finished = true }
        }

        /// Where this listing stands now (after the last page it returned).
        var checkpoint: ListingCheckpoint {
            ListingCheckpoint(
                next: nextRequest,
                number: number,
                paginator: paginator?.state ?? PaginatorState(),
                parentID: parentID,
                pendingParentIDs: parentIDs,
                parent: parents.map { [$0.iterator.checkpoint] } ?? []
            )
        }

        private mutating func start() {
            var paginator = pages.entity.pagination.makePaginator()
            nextRequest = paginator.firstPage()
            self.paginator = paginator
            number = 0
        }

        public mutating func next() async throws -> RecordPage? {
            while !finished {
                if nextRequest == nil {
                    guard let parents else {
                        finished = true
                        return nil
                    }
                    // Move on to the next parent record, fetching the parent's next page when needed.
                    while parentIDs.isEmpty {
                        guard let page = try await parents.iterator.next() else {
                            finished = true
                            return nil
                        }
                        let idField = parents.iterator.pages.entity.idField
                        parentIDs = page.records.compactMap { $0.value(at: [idField])?.scalarText }
                    }
                    parentID = parentIDs.removeFirst()
                    start()
                }
                guard let request = nextRequest, var paginator else { continue }
                number += 1
                var scopes: [String: [String: String]] = ["params": pages.params]
                if let parentID { scopes["parent"] = ["id": parentID] }
                let (records, response) = try await pages.session.fetchPage(
                    pages.entity,
                    request: request,
                    number: number,
                    scopes: scopes,
                    cursor: pages.cursor
                )
                do {
                    nextRequest = try paginator.nextPage(after: response)
                } catch {
                    throw ProviderError(.pagination, "\(pages.entity.name), \(error)")
                }
                self.paginator = paginator
                return RecordPage(
                    entityType: pages.entity.name,
                    number: number,
                    records: records,
                    parentID: parentID,
                    total: parentID == nil ? paginator.state.total : nil,
                    checkpoint: checkpoint
                )
            }
            return nil
        }
    }
}
