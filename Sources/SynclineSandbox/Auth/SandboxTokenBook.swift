/// The access tokens an emulated provider issued, as a pure value: issue and authorize are events with a time,
/// so token expiry is tested by moving an injected clock, never by sleeping.
struct SandboxTokenBook: Sendable {
    /// Why a bearer token was accepted or not.
    enum Verdict: Sendable, Equatable {
        case valid
        case missing
        case unknown
        case expired
    }

    private struct Issued: Sendable {
        let expiresAt: Int
        var used: Int
    }

    private var tokens: [String: Issued] = [:]
    private(set) var issuedCount = 0

    mutating func issue(_ token: String, atSecond now: Int, lifetimeSeconds: Int) {
        tokens[token] = Issued(expiresAt: now + lifetimeSeconds, used: 0)
        issuedCount += 1
    }

    /// Accepts a token that exists, has not reached its expiry time and has served fewer than `maxRequests`
    /// requests; an accepted request counts against the token's allowance.
    mutating func authorize(_ token: String?, atSecond now: Int, maxRequests: Int?) -> Verdict {
        guard let token, !token.isEmpty else { return .missing }
        guard var issued = tokens[token] else { return .unknown }
        if now >= issued.expiresAt { return .expired }
        if let maxRequests, issued.used >= maxRequests { return .expired }
        issued.used += 1
        tokens[token] = issued
        return .valid
    }
}
