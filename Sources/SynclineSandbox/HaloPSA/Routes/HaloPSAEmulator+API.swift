import Foundation
import Hummingbird

extension HaloPSAEmulator {
    /// Pages larger than this, when unpaged, are streamed in pieces rather than built whole.
    static let streamingThreshold = 1000

    /// `/api/...`: scenario faults first (as a gateway would), then the bearer token, then the data.
    func apiResponse(_ request: Request, segments: [String], receivedAt received: Date) async -> Response {
        let now = SandboxTime.seconds(received)
        let scenario = configuration.scenario
        let admission = state.withValues { $0.faults.admit(atSecond: now, scenario: scenario) }
        if let delay = admission.delay {
            try? await Task.sleep(for: delay)
        }
        var headers = HTTPFields()
        switch admission.outcome {
        case .fail(let plan):
            return Self.serverError(plan)
        case .rateLimited(let rate):
            return Self.rateLimited(rate, sendsRetryAfter: scenario.rateLimit?.sendsRetryAfter ?? true)
        case .proceed(let rate):
            if let rate { Self.addRateHeaders(rate, to: &headers) }
        }
        let token = Self.bearerToken(request.headers[.authorization])
        let limit = scenario.expireTokensAfterRequests
        let verdict = state.withValues { $0.tokens.authorize(token, atSecond: now, maxRequests: limit) }
        var response: Response
        do throws(HaloPSAError) {
            switch verdict {
            case .valid: response = try serve(request, segments: segments)
            case .missing: throw HaloPSAError.missingToken
            case .unknown: throw HaloPSAError.invalidToken
            case .expired: throw HaloPSAError.expiredToken
            }
        } catch {
            response = error.response
        }
        for field in headers { response.headers.append(field) }
        return response
    }

    /// A GET of a list (`/api/Client`) or of one record (`/api/Client/7`).
    private func serve(_ request: Request, segments: [String]) throws(HaloPSAError) -> Response {
        guard request.method == .get else { throw .methodNotAllowed }
        guard (1...2).contains(segments.count), let entity = HaloPSAEntity(resource: segments[0]) else {
            throw .notFound("There is no such HaloPSA endpoint")
        }
        let modifications = state.withValues { $0.modifications }
        let records = HaloPSARecords(configuration: configuration, modifications: modifications)
        if segments.count == 2 {
            let id = entity == .agents && segments[1] == "me" ? 1 : Int(segments[1]) ?? 0
            guard records.contains(entity, id: id) else { throw .notFound("No \(entity.rawValue) record has that id") }
            return HaloPSAResponses.json(records.record(entity, id: id))
        }
        let query = FormFields(request.uri.query)
        let selection = try records.selection(entity, query: query)
        if query.bool("pageinate") == true {
            let size = try HaloPSARecords.int("page_size", in: query) ?? configuration.defaultPageSize
            let number = try HaloPSARecords.int("page_no", in: query) ?? 1
            guard size >= 1 else { throw .badParameter("page_size must be at least 1") }
            guard number >= 1 else { throw .badParameter("page_no starts at 1") }
            return page(entity, records: records, selection: selection, size: size, number: number)
        }
        let count = try HaloPSARecords.int("count", in: query)
        return unpaged(entity, records: records, selection: selection, limit: count.map { max(0, $0) })
    }

    /// One page: `{"record_count": total, "<entity>": [...]}`; past the end, an empty list.
    private func page(
        _ entity: HaloPSAEntity,
        records: HaloPSARecords,
        selection: HaloPSASelection,
        size: Int,
        number: Int
    ) -> Response {
        let total = selection.count()
        let (offset, overflow) = (number - 1).multipliedReportingOverflow(by: size)
        let ids = overflow ? [] : selection.page(offset: offset, limit: size)
        return listResponse(entity, records: records, total: total, ids: ids, page: number)
    }

    /// Every selected record (or the first `limit`), in one response.
    private func unpaged(
        _ entity: HaloPSAEntity,
        records: HaloPSARecords,
        selection: HaloPSASelection,
        limit: Int?
    ) -> Response {
        let total = selection.count()
        let returned = min(total, limit ?? total)
        if returned <= Self.streamingThreshold || isMalformedPageConfigured(entity, page: 1) {
            return listResponse(
                entity,
                records: records,
                total: total,
                ids: Array(selection.ids.prefix(returned)),
                page: 1
            )
        }
        let body = ResponseBody { writer in
            var bytes = Array(Self.listPrefix(entity, total: total).utf8)
            var first = true
            for id in selection.ids.prefix(returned) {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                records.record(entity, id: id).write(to: &bytes)
                if bytes.count >= 64 * 1024 {
                    try await writer.write(ByteBuffer(bytes: bytes))
                    bytes.removeAll(keepingCapacity: true)
                }
            }
            bytes.append(contentsOf: "]}".utf8)
            try await writer.write(ByteBuffer(bytes: bytes))
            try await writer.finish(nil)
        }
        var headers = HTTPFields()
        headers[.contentType] = HaloPSAResponses.jsonContentType
        return Response(status: .ok, headers: headers, body: body)
    }

    private func listResponse(
        _ entity: HaloPSAEntity,
        records: HaloPSARecords,
        total: Int,
        ids: [Int],
        page: Int
    ) -> Response {
        var bytes = Array(Self.listPrefix(entity, total: total).utf8)
        for (index, id) in ids.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            records.record(entity, id: id).write(to: &bytes)
        }
        bytes.append(contentsOf: "]}".utf8)
        let scenario = configuration.scenario
        let malformation = state.withValues {
            $0.faults.malformation(entity: entity.rawValue, page: page, scenario: scenario)
        }
        guard let malformation else { return HaloPSAResponses.bytes(bytes) }
        return HaloPSAResponses.text(Self.broken(String(decoding: bytes, as: UTF8.self), kind: malformation))
    }

    private func isMalformedPageConfigured(_ entity: HaloPSAEntity, page: Int) -> Bool {
        configuration.scenario.malformedPages.contains { $0.entity == entity.rawValue && $0.page == page }
    }

    private static func listPrefix(_ entity: HaloPSAEntity, total: Int) -> String {
        "{\"record_count\":\(total),\"\(entity.rawValue)\":["
    }

    /// The body cut in half, or with a doubled comma between two records near the middle.
    static func broken(_ text: String, kind: SandboxScenario.MalformedPage.Kind) -> String {
        switch kind {
        case .truncated:
            let scalars = text.unicodeScalars
            var cut = String.UnicodeScalarView()
            cut.append(contentsOf: scalars.prefix(max(1, scalars.count / 2)))
            return String(cut)
        case .invalidJSON:
            let middle = text.index(text.startIndex, offsetBy: text.count / 2)
            if let seam = text.range(of: "},{", range: middle..<text.endIndex)
                ?? text.range(of: "},{")
            {
                return text.replacingCharacters(in: seam, with: "},,{")
            }
            return text.replacingOccurrences(of: ",\"", with: ",,\"", options: [], range: nil)
        }
    }

    private static func bearerToken(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return header.dropFirst(7).trimmingCharacters(in: .whitespaces)
    }

    private static func addRateHeaders(_ rate: SandboxFaultState.RateStatus, to headers: inout HTTPFields) {
        headers.setValue(String(rate.limit), forName: "X-RateLimit-Limit")
        headers.setValue(String(rate.remaining), forName: "X-RateLimit-Remaining")
        headers.setValue(String(rate.resetSeconds), forName: "X-RateLimit-Reset")
    }

    private static func rateLimited(_ rate: SandboxFaultState.RateStatus, sendsRetryAfter: Bool) -> Response {
        var headers = HTTPFields()
        addRateHeaders(rate, to: &headers)
        if sendsRetryAfter { headers[.retryAfter] = String(rate.resetSeconds) }
        let description = "Rate Limit Reached - \(rate.limit) Requests per rolling window"
        return HaloPSAResponses.json(
            .object(["error": .string("rate_limited"), "error_description": .string(description)]),
            status: .tooManyRequests,
            headers: headers
        )
    }

    private static func serverError(_ plan: SandboxScenario.FailurePlan) -> Response {
        var headers = HTTPFields()
        if let seconds = plan.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
        let status = HTTPResponse.Status(code: plan.status)
        return HaloPSAResponses.json(
            .object(["error": .string("server_error"), "error_description": .string(status.reasonPhrase)]),
            status: status,
            headers: headers
        )
    }
}
