import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SynclineCore

/// An error the caller can act on, answered as `{"error": {"code", "message", "field"}}` with a 4xx status.
struct APIError: HTTPResponseError, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    let field: String?

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    static func notFound(_ what: String) -> APIError {
        APIError(.notFound, "not_found", "\(what) not found")
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body: JSONValue = .object([
            "error": .object([
                "code": .string(code), "message": .string(message), "field": field.map { .string($0) } ?? .null,
            ])
        ])
        return try JSONResponse(body, status: status).response(from: request, context: context)
    }
}

/// A JSON body with snake_case keys built by the caller, so the wire format is explicit and never leaks a
/// Swift property name.
struct JSONResponse: ResponseGenerator {
    let value: JSONValue
    let status: HTTPResponse.Status

    init(_ value: JSONValue, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: try value.jsonString()))
        )
    }

    /// `{"data": [...], "next_cursor": null}`.
    static func list(_ items: [JSONValue], nextCursor: String? = nil) -> JSONResponse {
        JSONResponse(.object(["data": .array(items), "next_cursor": nextCursor.map { .string($0) } ?? .null]))
    }
}

extension Request {
    /// The body as a JSON object (empty when there is none); invalid or oversized input is a 400/413 that says so.
    func jsonObject(limit: Int = 1 << 20) async throws -> [String: JSONValue] {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "body_too_large", "the request body is larger than \(limit / 1024) KB")
        }
        guard buffer.readableBytes > 0 else { return [:] }
        let value: JSONValue
        do {
            value = try JSONValue.parse(String(buffer: buffer))
        } catch {
            throw APIError(.badRequest, "invalid_json", "the request body is not valid JSON")
        }
        guard case .object(let object) = value else {
            throw APIError(.badRequest, "invalid_json", "the request body must be a JSON object")
        }
        return object
    }
}

/// ISO 8601 UTC with milliseconds, the API's one time format.
func isoTime(_ date: Date?) -> JSONValue {
    guard let date else { return .null }
    return .string(
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)
        )
    )
}

extension StoreError {
    /// A store error as the API answers it: not found is 404, a conflict 409.
    var apiError: APIError {
        switch code {
        case .notFound: APIError(.notFound, "not_found", message)
        case .conflict: APIError(.conflict, "conflict", message)
        default: APIError(.badRequest, "invalid", message)
        }
    }
}
