import SynclineCore
import SynclineStore
import Testing

@Suite("Content hashes")
struct ContentHasherTests {
    @Test("swift-crypto's SHA-256 gives Core's digest for every length around the block and padding boundaries")
    func cryptoMatchesPortable() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 128, 345, 1000, 4096] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let portable = ContentHasher.portable.hex(bytes)
            #expect(ContentHasher.crypto.hex(bytes) == portable, "length \(length)")
            #expect(portable.count == 64)
            #expect(portable.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) })
        }
        // FIPS 180-4's own example, so both are SHA-256 and not merely equal.
        #expect(
            ContentHasher.crypto.hex(Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
    }

    @Test("record content made with the store's hasher equals the portable one, through both constructors")
    func contentAgrees() throws {
        let raw: JSONValue = ["id": 7, "name": "Acme"]
        let mapped: JSONValue = ["name": "Acme"]
        let fast = try RecordContent(raw: raw, mapped: mapped, hasher: .crypto)
        #expect(fast == (try RecordContent(raw: raw, mapped: mapped)))
        #expect(RecordContent(storedRaw: fast.raw, mapped: fast.mapped, hasher: .crypto) == fast)
    }
}
