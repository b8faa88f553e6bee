import Foundation
import SynclineCore
import Testing

@Suite("JSON values")
struct JSONValueTests {
    @Test("parsing and serialising round-trips every kind of value")
    func roundTrip() throws {
        let text = #"{"a":[1,2.5,"x",true,null],"b":{"c":"d/e"},"n":-3}"#
        let value = try JSONValue.parse(text)
        #expect(value == ["a": [1, .number(2.5), "x", true, nil], "b": ["c": "d/e"], "n": -3])
        #expect(try value.jsonString() == text)
    }

    @Test("equal values serialise to equal strings whatever the key order")
    func stableOutput() throws {
        let first = try JSONValue.parse(#"{"b":1,"a":2}"#)
        let second = try JSONValue.parse(#"{"a":2,"b":1}"#)
        #expect(try first.jsonString() == second.jsonString())
    }

    @Test("invalid JSON is an error")
    func invalid() {
        #expect(throws: (any Error).self) { try JSONValue.parse("{") }
    }

    @Test("a member as text: ids and cursors as numbers or strings, nothing for what cannot key a record")
    func memberText() {
        let record: JSONValue = [
            "id": 42, "code": "C-7", "blank": "", "ratio": .number(1.5), "flag": true, "none": nil, "site": ["id": 1],
        ]
        #expect(record.memberText("id") == "42")
        #expect(record.memberText("code") == "C-7")
        #expect(record.memberText("ratio") == "1.5")
        #expect(record.memberText("flag") == "true")
        for key in ["blank", "none", "site", "missing"] { #expect(record.memberText(key) == nil, "\(key)") }
        #expect(JSONValue.array([1]).memberText("id") == nil)
    }
}
