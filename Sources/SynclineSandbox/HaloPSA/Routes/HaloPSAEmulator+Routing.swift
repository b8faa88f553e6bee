import Foundation
import Hummingbird

extension HaloPSAEmulator {
    /// Answers one request below the mount point and records it. `path` is what follows the prefix; routes are
    /// matched case-insensitively, as HaloPSA's are.
    func respond(to request: Request, path: [Substring]) async -> Response {
        let received = configuration.now()
        let segments = path.map { $0.lowercased() }
        let response: Response
        switch segments.first {
        case "auth" where segments.dropFirst() == ["token"]:
            response = await tokenResponse(request)
        case "api" where segments.dropFirst() == ["authinfo"]:
            response = authInfo(request)
        case "api":
            response = await apiResponse(request, segments: Array(segments.dropFirst()), receivedAt: received)
        default:
            response = HaloPSAError.notFound("There is no such HaloPSA endpoint").response
        }
        requests.record(request, receivedAt: received, status: response.status)
        return response
    }

    /// `GET /api/authinfo`: where the authorisation server is, as hosted HaloPSA instances answer it.
    private func authInfo(_ request: Request) -> Response {
        let path = request.uri.path
        let mount = path.range(of: "/api/authinfo", options: [.caseInsensitive, .backwards]).map {
            String(path[..<$0.lowerBound])
        }
        let host = request.head.authority ?? "127.0.0.1"
        var members: [SandboxJSON.Member] = [
            .init(name: "auth_url", value: .string("http://\(host)\(mount ?? "")/auth"))
        ]
        if let tenant = configuration.tenant {
            members.append(.init(name: "tenant_id", value: .string(tenant)))
        }
        return HaloPSAResponses.json(.object(members))
    }
}
