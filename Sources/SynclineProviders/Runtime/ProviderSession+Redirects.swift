import AsyncHTTPClient
import Foundation
import NIOHTTP1
import SynclineCore

/// The request a redirect leads to, worked out as browsers do: 303 (and 301/302 after a POST) become a GET
/// without body, 307/308 keep method and body, and credentials never go to another origin. The session follows
/// redirects itself, instead of AsyncHTTPClient, so every hop passes the outbound address policy.
struct ProviderRedirect: Sendable, Equatable {
    static let statuses: Set<Int> = [301, 302, 303, 307, 308]
    /// Hops followed before the request fails.
    static let maxHops = 5
    /// Headers that carry credentials whatever the auth scheme; the session adds its api-key header.
    static let credentialHeaders = ["Authorization", "Proxy-Authorization", "Cookie"]

    var url: String
    var method: HTTPMethod
    var headers: HTTPHeaders
    var body: Data?

    /// The next request after a response with `status` and `location`; nil when the response is not a redirect
    /// to follow (not one of the five codes, or no `Location`). A `Location` that is not an http(s) URL fails.
    static func following(
        status: Int,
        location: String?,
        from current: ProviderRedirect,
        credentialHeaders: [String]
    ) throws -> ProviderRedirect? {
        guard statuses.contains(status), let location, !location.isEmpty else { return nil }
        let host = URLComponents(string: current.url)?.host ?? current.url
        guard let base = URL(string: current.url), let resolved = URL(string: location, relativeTo: base)?.absoluteURL,
            var components = URLComponents(url: resolved, resolvingAgainstBaseURL: false),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            components.host?.isEmpty == false
        else {
            throw ProviderError(
                .badResponse,
                "\(host) redirected (\(status)) to \(ProviderSession.redacted(location)), which is not an http(s) URL",
                status: status
            )
        }
        components.fragment = nil
        guard let target = components.string else {
            throw ProviderError(.badResponse, "\(host) redirected (\(status)) to an invalid location", status: status)
        }

        var next = current
        next.url = target
        let becomesGet =
            (status == 303 && current.method != .HEAD) || ((status == 301 || status == 302) && current.method == .POST)
        if becomesGet {
            next.method = .GET
            next.body = nil
            next.headers.remove(name: "Content-Type")
            next.headers.remove(name: "Content-Length")
        }
        if origin(of: current.url) != origin(of: target) {
            for name in credentialHeaders { next.headers.remove(name: name) }
        }
        return next
    }

    /// `scheme://host:port`, the port made explicit, for comparing origins.
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host?.lowercased()
        else { return nil }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        return "\(scheme)://\(host):\(port)"
    }
}
