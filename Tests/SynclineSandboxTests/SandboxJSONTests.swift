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
}
