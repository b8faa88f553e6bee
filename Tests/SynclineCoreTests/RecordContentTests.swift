import SynclineCore
import Testing

@Suite("A record's stored text and content hash")
struct RecordContentTests {
    @Test("the raw and mapped text are canonical JSON and the hash is SHA-256 of the one followed by the other")
    func canonicalTextAndHash() throws {
        let raw: JSONValue = ["name": "Acme", "id": 7, "tags": ["b", "a"]]
        let mapped: JSONValue = ["name": "Acme"]
        let content = try RecordContent(raw: raw, mapped: mapped)
        #expect(content.raw == #"{"id":7,"name":"Acme","tags":["b","a"]}"#)
        #expect(content.mapped == #"{"name":"Acme"}"#)
        #expect(content.hash == SHA256Digest(content.raw + #"{"name":"Acme"}"#).hex)
        let unmapped = try RecordContent(raw: raw, mapped: nil)
        #expect(unmapped.mapped == nil)
        #expect(unmapped.hash == SHA256Digest(content.raw).hex)
        #expect(unmapped.hash != content.hash)
    }

    @Test("text read back from the store hashes as the record it was made from, so re-mapping agrees with import")
    func storedTextAgrees() throws {
        let raw: JSONValue = ["id": 1, "note": "line\nbreak \"quoted\" é"]
        let mapped: JSONValue = ["id": "1"]
        let made = try RecordContent(raw: raw, mapped: mapped)
        #expect(RecordContent(storedRaw: made.raw, mapped: made.mapped) == made)
        #expect(RecordContent(storedRaw: made.raw, mapped: nil) == (try RecordContent(raw: raw, mapped: nil)))
    }

    @Test("a value JSON cannot hold is refused when the record is made, naming the problem")
    func nonFiniteRefused() {
        #expect(throws: EncodingError.self) {
            try IncomingRecord(externalID: "1", raw: ["id": 1], mapped: ["score": .number(.infinity)])
        }
        #expect(throws: EncodingError.self) {
            try IncomingRecord(externalID: "1", raw: ["id": .number(.nan)])
        }
    }
}
