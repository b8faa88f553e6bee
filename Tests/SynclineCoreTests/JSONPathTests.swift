import SynclineCore
import Testing

@Suite("JSON paths")
struct JSONPathTests {
    let record: JSONValue = [
        "owner": ["email": "ada@example.com", "name": nil],
        "custom_fields": [["name": "Region", "value": "EU"], ["name": "Tier", "value": "Gold"]],
        "tags": [["name": "vip"], ["name": "beta"], ["id": 3]],
        "odd.key": ["with space": 1],
    ]

    @Test("dotted keys, indexes and wildcards parse into components")
    func parsesComponents() throws {
        #expect(try JSONPath("owner.email").components == [.key("owner"), .key("email")])
        #expect(try JSONPath("custom_fields[0].value").components == [.key("custom_fields"), .index(0), .key("value")])
        #expect(try JSONPath("tags[*].name").components == [.key("tags"), .wildcard, .key("name")])
        #expect(try JSONPath("tags.*").components == [.key("tags"), .wildcard])
        #expect(try JSONPath("items[-1]").components == [.key("items"), .index(-1)])
        #expect(try JSONPath("[ 2 ]").components == [.index(2)])
    }

    @Test("quoted keys may hold dots, spaces, brackets and escaped quotes")
    func quotedKeys() throws {
        #expect(try JSONPath(#"["odd.key"]['with space']"#).components == [.key("odd.key"), .key("with space")])
        let escaped = try JSONPath(#"["say \"hi\""]['it\'s']["back\\slash"]"#)
        #expect(escaped.components == [.key("say \"hi\""), .key("it's"), .key("back\\slash")])
    }

    @Test("a leading $ names the root, and $ alone is the root itself")
    func rootPrefix() throws {
        #expect(try JSONPath("$").components.isEmpty)
        #expect(try JSONPath("$.owner.email") == JSONPath("owner.email"))
        #expect(try JSONPath("$[0]").components == [.index(0)])
        #expect(try JSONPath("$id").components == [.key("$id")])
        #expect(try JSONPath("$").evaluate(in: record) == record)
    }

    @Test(
        "syntax errors name the column and what was expected there",
        arguments: [
            ("", 1, "expected a key"),
            ("owner.", 7, "expected a key at column 7, found end of path"),
            ("owner..email", 7, "expected a key at column 7, found '.'"),
            ("tags[", 6, "expected an index, '*' or a quoted key"),
            ("tags[0", 7, "expected ']' at column 7"),
            ("tags[x]", 6, "expected an index"),
            ("tags]", 5, "expected '.' or '['"),
            (#"["open"#, 7, "expected closing \""),
            ("a b", 2, "expected '.' or '['"),
            ("tags[-]", 7, "expected a digit"),
        ]
    )
    func syntaxErrors(text: String, column: Int, expected: String) {
        let error = #expect(throws: JSONPath.PathError.self) { try JSONPath(text) }
        #expect(error?.code == .syntax)
        #expect(error?.column == column)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error")")
    }

    @Test("evaluating finds members, indexes from either end, and nil for anything missing")
    func evaluates() throws {
        #expect(try JSONPath("owner.email").evaluate(in: record) == "ada@example.com")
        #expect(try JSONPath("owner.name").evaluate(in: record) == .null)
        #expect(try JSONPath("owner.phone").evaluate(in: record) == nil)
        #expect(try JSONPath("custom_fields[1].value").evaluate(in: record) == "Gold")
        #expect(try JSONPath("custom_fields[-1].name").evaluate(in: record) == "Tier")
        #expect(try JSONPath("custom_fields[2]").evaluate(in: record) == nil)
        #expect(try JSONPath("custom_fields[-3]").evaluate(in: record) == nil)
        #expect(try JSONPath("owner[0]").evaluate(in: record) == nil)
        #expect(try JSONPath("owner.email.domain").evaluate(in: record) == nil)
        #expect(try JSONPath(#"["odd.key"]["with space"]"#).evaluate(in: record) == 1)
    }

    @Test("a wildcard yields an array of what each element has, skipping elements without it")
    func wildcards() throws {
        #expect(try JSONPath("tags[*].name").evaluate(in: record) == ["vip", "beta"])
        #expect(try JSONPath("tags[*].missing").evaluate(in: record) == [])
        #expect(try JSONPath("owner.*").evaluate(in: record) == ["ada@example.com", nil])
        #expect(try JSONPath("owner.email[*]").evaluate(in: record) == nil)
        let nested: JSONValue = ["groups": [["members": [1, 2]], ["members": [3]]]]
        #expect(try JSONPath("groups[*].members[*]").evaluate(in: nested) == [[1, 2], [3]])
    }

    @Test("setting creates missing objects and arrays and keeps everything else")
    func setsValues() throws {
        let empty = try JSONPath("custom_fields[0].value").set("EU", in: .null)
        #expect(empty == ["custom_fields": [["value": "EU"]]])
        let updated = try JSONPath("owner.email").set("grace@example.com", in: record)
        #expect(try JSONPath("owner.email").evaluate(in: updated) == "grace@example.com")
        #expect(try JSONPath("tags").evaluate(in: updated) == JSONPath("tags").evaluate(in: record))
        let padded = try JSONPath("list[2]").set(true, in: ["list": [1]])
        #expect(padded == ["list": [1, nil, true]])
        let last = try JSONPath("custom_fields[-1].value").set("Silver", in: record)
        #expect(try JSONPath("custom_fields[1].value").evaluate(in: last) == "Silver")
        #expect(try JSONPath("$").set("whole", in: record) == "whole")
    }

    @Test("setting through a value of the wrong type, a wildcard or before the start fails clearly")
    func setFailures() throws {
        let mismatch = #expect(throws: JSONPath.PathError.self) {
            try JSONPath("owner.email.domain").set("x", in: record)
        }
        #expect(mismatch?.code == .typeMismatch)
        #expect(mismatch?.message == "cannot write key 'domain' into a string at 'owner.email'")
        let wildcard = #expect(throws: JSONPath.PathError.self) { try JSONPath("tags[*].name").set("x", in: record) }
        #expect(wildcard?.code == .notWritable)
        let before = #expect(throws: JSONPath.PathError.self) { try JSONPath("tags[-9]").set("x", in: record) }
        #expect(before?.code == .indexOutOfRange)
        let farAway = #expect(throws: JSONPath.PathError.self) { try JSONPath("tags[1000000]").set("x", in: record) }
        #expect(farAway?.code == .indexOutOfRange)
        let indexIntoObject = #expect(throws: JSONPath.PathError.self) { try JSONPath("owner[0]").set("x", in: record) }
        #expect(indexIntoObject?.code == .typeMismatch)
    }

    @Test("set then evaluate returns the written value for generated paths")
    func setThenEvaluateProperty() throws {
        var random = SplitMix64(seed: 7)
        let keys: [Character] = Array("abcxyz_.- '\"[]*$")
        for _ in 0..<300 {
            var components: [JSONPath.Component] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                if Bool.random(using: &random) {
                    components.append(.key(random.string(from: keys, length: Int.random(in: 1...5, using: &random))))
                } else {
                    components.append(.index(Int.random(in: 0...3, using: &random)))
                }
            }
            let path = JSONPath(components: components)
            let value = JSONValue.number(Double(Int.random(in: -1000...1000, using: &random)))
            let written = try path.set(value, in: .null)
            #expect(path.evaluate(in: written) == value, "\(path)")
        }
    }

    @Test("the canonical text of generated paths parses back to the same path")
    func descriptionRoundTripProperty() throws {
        var random = SplitMix64(seed: 11)
        let keys: [Character] = Array("aZ09_-.[]'\" *$\\é")
        for _ in 0..<400 {
            var components: [JSONPath.Component] = []
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                switch Int.random(in: 0..<3, using: &random) {
                case 0:
                    components.append(.key(random.string(from: keys, length: Int.random(in: 1...6, using: &random))))
                case 1: components.append(.index(Int.random(in: -5...50, using: &random)))
                default: components.append(.wildcard)
                }
            }
            let path = JSONPath(components: components)
            #expect(try JSONPath(path.description) == path, "\(path.description)")
        }
    }
}
