import Foundation

/// The authorization codes and token families an emulated OAuth server issued, as a pure value: every event
/// (issue, redeem, refresh, revoke, verify) takes the time and any freshly drawn secrets as arguments, so the
/// rules of RFC 6749, RFC 7636 and the OAuth security BCP hold without a server, a clock or randomness.
///
/// A family is everything descended from one authorization: the code's first token pair and every rotation after
/// it. Reusing a code or a spent refresh token revokes the whole family.
struct OAuthGrantBook: Sendable {
    /// How long an authorization code can be redeemed (RFC 6749 section 4.1.2 recommends at most ten minutes).
    static let codeLifetime: TimeInterval = 600

    /// What the client asked for at `/authorize`, remembered with the code.
    struct CodeGrant: Sendable, Equatable {
        let clientID: String
        let redirectURI: String
        let codeChallenge: String
        let scope: String
    }

    /// Fresh secrets for one token response, drawn by the caller so the book stays deterministic.
    struct MintedTokens: Sendable, Equatable {
        let accessToken: String
        let refreshToken: String
    }

    /// What a successful token request answers.
    struct TokenGrant: Sendable, Equatable {
        let accessToken: String
        let refreshToken: String
        let scope: String
    }

    /// Why a bearer token was accepted or not.
    enum AccessVerdict: Sendable, Equatable {
        case valid
        case unknown
        case expired
        case revoked
    }

    private struct IssuedCode: Sendable {
        let grant: CodeGrant
        let expiresAt: Date
        /// The family its redemption started; `nil` while the code is unused.
        var family: Int?
    }

    private struct Family: Sendable {
        let clientID: String
        let scope: String
        var revoked = false
    }

    private struct AccessToken: Sendable {
        let family: Int
        /// Issue order, so `expireAccessTokens` can end every token issued before it.
        let serial: Int
        let expiresAt: Date
        var revoked = false
    }

    private struct RefreshToken: Sendable {
        let family: Int
        var used = false
    }

    private var codes: [String: IssuedCode] = [:]
    private var families: [Int: Family] = [:]
    private var accessTokens: [String: AccessToken] = [:]
    private var refreshTokens: [String: RefreshToken] = [:]
    private var lastSerial = 0
    /// Access tokens with a serial up to this one answer as expired.
    private var expiredThroughSerial = 0
    /// Successful `refresh_token` grants.
    private(set) var refreshGrantCount = 0
    /// Live tokens revoked by a revocation request (RFC 7009), one per request.
    private(set) var revokedTokenCount = 0

    mutating func issueCode(_ code: String, for grant: CodeGrant, at now: Date) {
        codes[code] = IssuedCode(grant: grant, expiresAt: now.addingTimeInterval(Self.codeLifetime), family: nil)
    }

    /// The `authorization_code` grant: the code must exist, belong to `clientID`, be unused and unexpired, and
    /// `redirectURI` and `codeVerifier` must match what `/authorize` was given. A second redemption revokes the
    /// tokens of the first (RFC 6749 section 4.1.2).
    mutating func redeemCode(
        _ code: String,
        clientID: String,
        redirectURI: String,
        codeVerifier: String,
        at now: Date,
        lifetime: TimeInterval,
        minting tokens: MintedTokens
    ) throws(OAuthError) -> TokenGrant {
        guard var issued = codes[code] else { throw .invalidGrant("The authorization code is unknown") }
        guard issued.grant.clientID == clientID else {
            throw .invalidGrant("The authorization code was issued to another client")
        }
        if let family = issued.family {
            revokeFamily(family)
            throw .invalidGrant("The authorization code was already used; the tokens issued from it are revoked")
        }
        guard now < issued.expiresAt else { throw .invalidGrant("The authorization code has expired") }
        guard redirectURI == issued.grant.redirectURI else {
            throw .invalidGrant("redirect_uri does not match the one given at the authorization request")
        }
        guard OAuthPKCE.challenge(for: codeVerifier) == issued.grant.codeChallenge else {
            throw .invalidGrant("code_verifier does not match the code_challenge (S256)")
        }
        let family = families.count + 1
        families[family] = Family(clientID: clientID, scope: issued.grant.scope)
        issued.family = family
        codes[code] = issued
        return issue(tokens, family: family, scope: issued.grant.scope, at: now, lifetime: lifetime)
    }

    /// The `refresh_token` grant with rotation: a live refresh token is spent and replaced. A spent one presented
    /// again revokes its whole family (OAuth 2.0 Security BCP, section 4.14).
    mutating func refresh(
        _ token: String,
        clientID: String,
        scope requested: String?,
        at now: Date,
        lifetime: TimeInterval,
        minting tokens: MintedTokens
    ) throws(OAuthError) -> TokenGrant {
        guard var refresh = refreshTokens[token], let family = families[refresh.family] else {
            throw .invalidGrant("The refresh token is unknown")
        }
        guard family.clientID == clientID else { throw .invalidGrant("The refresh token was issued to another client") }
        guard !family.revoked else { throw .invalidGrant("The refresh token has been revoked") }
        if refresh.used {
            revokeFamily(refresh.family)
            throw .invalidGrant(
                "The refresh token was already used; every token issued from the same authorization is revoked"
            )
        }
        var scope = family.scope
        if let requested {
            let granted = Set(family.scope.split(separator: " "))
            guard Set(requested.split(separator: " ")).isSubset(of: granted) else {
                throw .invalidScope("The requested scope exceeds the scope originally granted")
            }
            scope = requested
        }
        refresh.used = true
        refreshTokens[token] = refresh
        refreshGrantCount += 1
        return issue(tokens, family: refresh.family, scope: scope, at: now, lifetime: lifetime)
    }

    /// Revokes a token issued to `clientID` (RFC 7009): an access token alone, or a refresh token with its whole
    /// family. Unknown tokens, other clients' tokens and tokens already dead change nothing.
    mutating func revoke(_ token: String, clientID: String) {
        if var access = accessTokens[token], let family = families[access.family], family.clientID == clientID {
            guard !access.revoked, !family.revoked else { return }
            access.revoked = true
            accessTokens[token] = access
            revokedTokenCount += 1
        } else if let refresh = refreshTokens[token], let family = families[refresh.family],
            family.clientID == clientID, !family.revoked
        {
            revokeFamily(refresh.family)
            revokedTokenCount += 1
        }
    }

    /// Every access token issued so far answers as expired; later ones are unaffected.
    mutating func expireAccessTokens() {
        expiredThroughSerial = lastSerial
    }

    func verify(accessToken token: String, at now: Date) -> AccessVerdict {
        guard let access = accessTokens[token], let family = families[access.family] else { return .unknown }
        if access.revoked || family.revoked { return .revoked }
        if access.serial <= expiredThroughSerial || now >= access.expiresAt { return .expired }
        return .valid
    }

    private mutating func issue(
        _ tokens: MintedTokens,
        family: Int,
        scope: String,
        at now: Date,
        lifetime: TimeInterval
    ) -> TokenGrant {
        lastSerial += 1
        accessTokens[tokens.accessToken] = AccessToken(
            family: family,
            serial: lastSerial,
            expiresAt: now.addingTimeInterval(lifetime)
        )
        refreshTokens[tokens.refreshToken] = RefreshToken(family: family)
        return TokenGrant(accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, scope: scope)
    }

    private mutating func revokeFamily(_ family: Int) {
        families[family]?.revoked = true
    }
}
