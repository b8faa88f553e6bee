import Foundation

/// Base64url without padding (RFC 4648 §5): the encoding of OAuth states, PKCE values and tokens.
public enum Base64URL {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of `text`, or nil when it is not base64url.
    public static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}

/// Proof Key for Code Exchange (RFC 7636), the one place the client side computes it.
public enum PKCE {
    /// The S256 challenge of a verifier: `BASE64URL(SHA256(verifier))` without padding (§4.2).
    public static func challenge(for verifier: String) -> String {
        Base64URL.encode(SHA256Digest(verifier).bytes)
    }
}
