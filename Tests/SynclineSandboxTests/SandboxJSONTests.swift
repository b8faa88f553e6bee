import Foundation
import Testing

@testable import SynclineSandbox

@Suite("Sandbox JSON text")
struct SandboxJSONTests {
    @Test(
        "strings are escaped where JSON needs it and copied whole where it does not",
        arguments: [
            ("plain text", #""plain text""#),
            ("Zoë & Søn — ☕️", #""Zoë & Søn — ☕️""#),
            ("say \"hi\"", #""say \"hi\"""#),
            ("back\\slash", #""back\\slash""#),
            ("two\nlines\tand\r", #""two\nlines\tand\r""#),
            ("bell\u{07}", #""bell\u0007""#),
            // Escapes beside multi-byte scalars, which the byte loop copies as they are.
            ("Zoë said \"já\"\n☕️", #""Zoë said \"já\"\n☕️""#),
            ("", #""""#),
        ]
    )
    func escapes(_ input: String, _ expected: String) throws {
        let text = SandboxJSON.object(["name": .string(input)]).text
        #expect(text == "{\"name\":\(expected)}")
        // And the result is JSON that reads back as the same text.
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(parsed?["name"] == input)
    }

    @Test("every kind of value is written compactly, members in the order given")
    func values() {
        let value = SandboxJSON.object([
            "z": .int(-3), "a": .double(1.5), "n": .null, "t": .bool(true), "f": .bool(false),
            "list": .array([.int(1), .string("x"), .array([])]), "inf": .double(.infinity),
        ])
        #expect(value.text == #"{"z":-3,"a":1.5,"n":null,"t":true,"f":false,"list":[1,"x",[]],"inf":null}"#)
        #expect(value.bytes == Array(value.text.utf8))
    }
}
