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
}
