import Foundation
import SynclineCore
import Testing

/// PKCE and base64url as RFC 7636 and RFC 4648 define them.
@Suite("PKCE")
struct PKCETests {
    @Test("the S256 challenge of RFC 7636's Appendix B verifier")
    func appendixB() {
        #expect(
            PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        )
    }

    @Test("base64url has no padding, uses - and _, and decodes back")
    func base64URL() {
        let bytes: [UInt8] = [0xfb, 0xff, 0xfe, 0x01]
        #expect(Base64URL.encode(bytes) == "-__-AQ")
        #expect(Base64URL.decode("-__-AQ") == Data(bytes))
        #expect(Base64URL.decode("not base64!") == nil)
    }
}
