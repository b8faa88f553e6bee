import Hummingbird

/// Builders for the emulator's HTTP responses: JSON with an exact `Content-Length`, or raw bytes.
enum HaloPSAResponses {
    static let jsonContentType = "application/json; charset=utf-8"

    static func json(_ value: SandboxJSON, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        bytes(value.bytes, status: status, headers: headers)
    }

    /// A body of JSON already written as UTF-8 bytes.
    static func bytes(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = jsonContentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A body of already-rendered JSON text (possibly deliberately broken).
    static func text(
        _ text: String,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:],
        contentType: String = jsonContentType
    ) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
