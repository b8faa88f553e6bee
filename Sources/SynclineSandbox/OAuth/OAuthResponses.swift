import Hummingbird

/// Builders for the OAuth emulator's responses: JSON bodies and the authorization endpoint's redirects.
enum OAuthResponses {
    /// The protection space named in `WWW-Authenticate` challenges.
    static let realm = "sandbox-oauth"

    static func json(_ value: SandboxJSON, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.bytes))
        )
    }

    /// `302 Found` to `redirectURI` with `parameters` added to its query (after `&` when it has one already),
    /// form-encoded; absent values are left out.
    static func redirect(to redirectURI: String, _ parameters: KeyValuePairs<String, String?>) -> Response {
        var headers = HTTPFields()
        headers[.location] = location(redirectURI, parameters)
        headers[.cacheControl] = "no-store"
        return Response(status: .found, headers: headers)
    }

    static func location(_ redirectURI: String, _ parameters: KeyValuePairs<String, String?>) -> String {
        let query = parameters.compactMap { name, value in
            value.map { "\(formEncode(name))=\(formEncode($0))" }
        }.joined(separator: "&")
        guard !query.isEmpty else { return redirectURI }
        let separator: String
        if let mark = redirectURI.firstIndex(of: "?") {
            let existing = redirectURI[redirectURI.index(after: mark)...]
            separator = existing.isEmpty || existing.hasSuffix("&") ? "" : "&"
        } else {
            separator = "?"
        }
        return redirectURI + separator + query
    }

    /// `application/x-www-form-urlencoded`: unreserved characters stay, a space becomes `+`, the rest `%XX`.
    static func formEncode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                output += "+"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }
}
