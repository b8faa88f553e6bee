import Foundation
import SynclineCore
import Testing

@Suite("Identifiers")
struct IdentifierTests {
    @Test("ids carry their prefix and 26 lowercase base-32 characters")
    func shape() {
        let id = Identifier.make(prefix: "con")
        #expect(id.hasPrefix("con_"))
        let body = id.dropFirst(4)
        #expect(body.count == 26)
        #expect(body.allSatisfy { "0123456789abcdefghjkmnpqrstvwxyz".contains($0) })
    }

    @Test("ids sort by creation time")
    func ordering() {
        let earlier = Identifier.make(prefix: "act", now: Date(timeIntervalSince1970: 1_700_000_000))
        let later = Identifier.make(prefix: "act", now: Date(timeIntervalSince1970: 1_700_000_000.001))
        let muchLater = Identifier.make(prefix: "act", now: Date(timeIntervalSince1970: 2_000_000_000))
        #expect(earlier < later)
        #expect(later < muchLater)
    }

    @Test("ids made in the same millisecond differ")
    func uniqueness() {
        let now = Date()
        let ids = Set((0..<1000).map { _ in Identifier.make(prefix: "x", now: now) })
        #expect(ids.count == 1000)
    }
}
