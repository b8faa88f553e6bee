import SynclineCore
import Testing

@Suite("Transforms: records, defaults and collections")
struct RecordTransformTests {
    static let person: JSONValue = [
        "first": "Ada", "last": "Lovelace", "middle": nil, "age": 36, "vip": true,
        "address": ["line1": "1 Main St", "city": "Leeds"], "tags": ["a", "b"], "blank": "  ",
    ]

    // MARK: template

    @Test("template fills placeholders from the whole record")
    func templateFills() throws {
        let record = Self.person
        #expect(try Run.forward("template", nil, ["template": "{{first}} {{last}}"], record: record) == "Ada Lovelace")
        #expect(
            try Run.forward("template", nil, ["template": "{{ address.city }}, {{age}}"], record: record) == "Leeds, 36"
        )
        #expect(try Run.forward("template", "x", ["template": "[{{.}}] {{vip}}"], record: record) == "[x] true")
        #expect(try Run.forward("template", nil, ["template": "{{tags}}"], record: record) == #"["a","b"]"#)
        #expect(try Run.forward("template", nil, ["template": "no placeholders"], record: record) == "no placeholders")
        #expect(try Run.forward("template", nil, ["template": "{{tags[*]}}"], record: record) == #"["a","b"]"#)
    }

    @Test("template writes nothing for missing fields, or null, or fails, as configured")
    func templateMissing() throws {
        let record = Self.person
        #expect(
            try Run.forward("template", nil, ["template": "{{first}} {{middle}} {{nope}}!"], record: record) == "Ada  !"
        )
        #expect(
            try Run.forward("template", nil, ["template": "{{first}} {{middle}}", "missing": "null"], record: record)
                == nil
        )
        let error = #expect(throws: TransformError.self) {
            try Run.forward(
                "template",
                nil,
                ["template": "{{first}} {{middle}} {{nope}}", "missing": "error"],
                record: record
            )
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message == "no value for middle, nope")
    }

    @Test("template rejects unclosed and empty placeholders and bad paths at configuration, with the column")
    func templateArguments() {
        let unclosed = #expect(throws: TransformError.self) { try Run.make("template", ["template": "Hi {{first"]) }
        #expect(unclosed?.message == "the placeholder opened at column 4 is not closed with }}")
        let empty = #expect(throws: TransformError.self) { try Run.make("template", ["template": "{{ }}"]) }
        #expect(empty?.argument == "template")
        let path = #expect(throws: TransformError.self) { try Run.make("template", ["template": "{{a..b}}"]) }
        #expect(path?.message.contains("expected a key at column 3") == true)
    }

    // MARK: concat

    @Test("concat joins field values, skipping null, missing and empty ones")
    func concatJoins() throws {
        let record = Self.person
        let arguments: [String: JSONValue] = ["fields": ["first", "middle", "nope", "last"]]
        #expect(try Run.forward("concat", nil, arguments, record: record) == "Ada Lovelace")
        #expect(
            try Run.forward(
                "concat",
                "Suite 4",
                ["fields": [".", "address.line1", "address.city"], "separator": ", "],
                record: record
            )
                == "Suite 4, 1 Main St, Leeds"
        )
        #expect(
            try Run.forward(
                "concat",
                "",
                ["fields": [".", "first"], "skip_empty": false, "separator": "|"],
                record: record
            ) == "|Ada"
        )
        #expect(try Run.forward("concat", nil, ["fields": ["nope"]], record: record) == "")
        #expect(
            try Run.forward("concat", nil, ["fields": ["age", "vip"], "separator": "-"], record: record) == "36-true"
        )
    }

    @Test("concat needs at least one valid field path")
    func concatArguments() {
        let none = #expect(throws: TransformError.self) { try Run.make("concat", ["fields": []]) }
        #expect(none?.argument == "fields")
        let bad = #expect(throws: TransformError.self) { try Run.make("concat", ["fields": ["a["]]) }
        #expect(bad?.code == .invalidArgument)
        let type = #expect(throws: TransformError.self) { try Run.make("concat", ["fields": "first"]) }
        #expect(type?.message == "expected list of strings, got a string")
    }

    // MARK: default, coalesce, null_if_empty

    @Test("default replaces null, and blank strings when asked, leaving other values alone")
    func defaultReplaces() throws {
        #expect(try Run.forward("default", nil, ["value": "Unassigned"]) == "Unassigned")
        #expect(try Run.forward("default", "Bob", ["value": "Unassigned"]) == "Bob")
        #expect(try Run.forward("default", "", ["value": "Unassigned"]) == "")
        #expect(try Run.forward("default", " ", ["value": "Unassigned", "replace_empty": true]) == "Unassigned")
        #expect(try Run.forward("default", 0, ["value": 5, "replace_empty": true]) == 0)
        #expect(try Run.forward("default", false, ["value": true]) == false)
        #expect(try Run.forward("default", nil, ["value": ["a": 1]]) == ["a": 1])
        let missing = #expect(throws: TransformError.self) { try Run.make("default") }
        #expect(missing?.code == .missingArgument)
    }

    @Test("coalesce keeps a present value and otherwise takes the first field with a value")
    func coalesceFallsBack() throws {
        let record: JSONValue = ["mobile": nil, "phone": "", "company": ["phone": "+44 20 7946 0000"]]
        let arguments: [String: JSONValue] = ["fields": ["mobile", "phone", "company.phone"]]
        #expect(try Run.forward("coalesce", "07700 900123", arguments, record: record) == "07700 900123")
        #expect(try Run.forward("coalesce", nil, arguments, record: record) == "+44 20 7946 0000")
        #expect(try Run.forward("coalesce", " ", arguments, record: record) == "+44 20 7946 0000")
        #expect(
            try Run.forward("coalesce", nil, ["fields": ["mobile", "phone"], "skip_empty": false], record: record) == ""
        )
        #expect(try Run.forward("coalesce", nil, ["fields": ["mobile", "nope"]], record: record) == nil)
        #expect(try Run.forward("coalesce", 0, arguments, record: record) == 0)
        let none = #expect(throws: TransformError.self) { try Run.make("coalesce", ["fields": []]) }
        #expect(none?.argument == "fields")
    }

    @Test("null_if_empty turns empty and blank strings, arrays and objects into null")
    func nullIfEmpty() throws {
        #expect(try Run.forward("null_if_empty", "") == nil)
        #expect(try Run.forward("null_if_empty", " \n") == nil)
        #expect(try Run.forward("null_if_empty", " ", ["trim": false]) == " ")
        #expect(try Run.forward("null_if_empty", []) == nil)
        #expect(try Run.forward("null_if_empty", [:]) == nil)
        #expect(try Run.forward("null_if_empty", "x") == "x")
        #expect(try Run.forward("null_if_empty", 0) == 0)
        #expect(try Run.forward("null_if_empty", false) == false)
        #expect(try Run.forward("null_if_empty", nil) == nil)
    }

    // MARK: first, last, pick

    @Test("first and last return an end element, null for an empty array")
    func firstAndLast() throws {
        #expect(try Run.forward("first", ["a", "b", "c"]) == "a")
        #expect(try Run.forward("last", ["a", "b", "c"]) == "c")
        #expect(try Run.forward("first", []) == nil)
        #expect(try Run.forward("last", []) == nil)
        #expect(try Run.forward("first", [nil, "b"]) == nil)
        #expect(try Run.forward("last", nil) == nil)
    }

    @Test("first and last reject values that are not arrays")
    func firstAndLastWrongType() {
        let first = #expect(throws: TransformError.self) { try Run.forward("first", "abc") }
        #expect(first?.description == "transform 'first': expected an array, got a string")
        let last = #expect(throws: TransformError.self) { try Run.forward("last", ["a": 1]) }
        #expect(last?.code == .wrongInputType)
    }

    @Test("pick finds the first matching object and returns it or one of its fields")
    func pickFinds() throws {
        let fields: JSONValue = [
            ["name": "Region", "value": "EU"], "not an object", ["name": "Tier", "value": "Gold"],
            ["name": "Tier", "value": "Silver"], ["meta": ["id": 7], "value": "deep"],
        ]
        #expect(try Run.forward("pick", fields, ["key": "name", "equals": "Tier", "field": "value"]) == "Gold")
        #expect(
            try Run.forward("pick", fields, ["key": "name", "equals": "Region"]) == ["name": "Region", "value": "EU"]
        )
        #expect(try Run.forward("pick", fields, ["key": "meta.id", "equals": 7, "field": "value"]) == "deep")
        #expect(try Run.forward("pick", fields, ["key": "name", "equals": "Nope"]) == nil)
        #expect(try Run.forward("pick", fields, ["key": "name", "equals": "Region", "field": "missing"]) == nil)
        #expect(try Run.forward("pick", [], ["key": "name", "equals": "x"]) == nil)
    }

    @Test("pick rejects a bad path, a missing key and input that is not an array")
    func pickEdges() throws {
        #expect(try Run.forward("pick", nil, ["key": "name", "equals": "x"]) == nil)
        let path = #expect(throws: TransformError.self) { try Run.make("pick", ["key": "a[", "equals": "x"]) }
        #expect(path?.argument == "key")
        let missing = #expect(throws: TransformError.self) { try Run.make("pick", ["key": "name"]) }
        #expect(missing?.argument == "equals")
        let object = #expect(throws: TransformError.self) {
            try Run.forward("pick", ["name": "x"], ["key": "name", "equals": "x"])
        }
        #expect(object?.code == .wrongInputType)
    }

    @Test("pick returns the element at a generated position when its key is unique")
    func pickProperty() throws {
        var random = SplitMix64(seed: 53)
        for _ in 0..<300 {
            let count = Int.random(in: 1...8, using: &random)
            let items = (0..<count).map { index -> JSONValue in
                ["id": .number(Double(index)), "payload": .string("p\(index)")]
            }
            let wanted = Int.random(in: 0..<count, using: &random)
            let result = try Run.forward(
                "pick",
                .array(items.shuffled(using: &random)),
                ["key": "id", "equals": .number(Double(wanted)), "field": "payload"]
            )
            #expect(result == .string("p\(wanted)"))
        }
    }
}
