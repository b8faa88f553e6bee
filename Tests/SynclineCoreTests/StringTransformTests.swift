import SynclineCore
import Testing

@Suite("Transforms: strings")
struct StringTransformTests {
    /// Every string transform with arguments that build, for the shared null and wrong-type checks.
    static let stringTransforms: [(String, [String: JSONValue])] = [
        ("trim", [:]), ("lower", [:]), ("upper", [:]), ("title_case", [:]), ("truncate", ["length": 3]),
        ("slug", [:]), ("split", [:]), ("regex_extract", ["pattern": "a"]), ("regex_replace", ["pattern": "a"]),
    ]

    @Test("string transforms pass null through and reject numbers naming themselves", arguments: stringTransforms)
    func nullAndWrongType(name: String, arguments: [String: JSONValue]) throws {
        #expect(try Run.forward(name, nil, arguments) == nil)
        let error = #expect(throws: TransformError.self) { try Run.forward(name, 12, arguments) }
        #expect(error?.code == .wrongInputType)
        #expect(error?.description == "transform '\(name)': expected a string, got a number")
    }

    // MARK: trim, lower, upper, title_case

    @Test("trim removes whitespace, or the given characters, from both ends only")
    func trimTrims() throws {
        #expect(try Run.forward("trim", "  Acme  Ltd \n\t") == "Acme  Ltd")
        #expect(try Run.forward("trim", "\u{00A0}x\u{2003}") == "x")
        #expect(try Run.forward("trim", "") == "")
        #expect(try Run.forward("trim", "   ") == "")
        #expect(try Run.forward("trim", "--id-42--", ["characters": "-"]) == "id-42")
    }

    @Test("lower and upper change case, including non-ASCII letters")
    func lowerUpper() throws {
        #expect(try Run.forward("lower", "ÀCME Straße") == "àcme straße")
        #expect(try Run.forward("upper", "àcme straße") == "ÀCME STRASSE")
        #expect(try Run.forward("lower", "") == "")
        #expect(try Run.forward("upper", "123") == "123")
    }

    @Test("title_case capitalises every word after spaces, hyphens and slashes")
    func titleCase() throws {
        #expect(try Run.forward("title_case", "mary-jane SMITH") == "Mary-Jane Smith")
        #expect(try Run.forward("title_case", "sales/north  east") == "Sales/North  East")
        #expect(try Run.forward("title_case", "élise o'neil") == "Élise O'neil")
        #expect(try Run.forward("title_case", "ACME ltd", ["lower_rest": false]) == "ACME Ltd")
        #expect(try Run.forward("title_case", "") == "")
    }

    @Test("lower and title_case are idempotent over generated text")
    func caseIdempotentProperty() throws {
        var random = SplitMix64(seed: 37)
        let alphabet = Array("abcXYZ éÉß-/ 1")
        let lower = try Run.make("lower")
        let title = try Run.make("title_case")
        for _ in 0..<300 {
            let text = JSONValue.string(random.string(from: alphabet, length: Int.random(in: 0...12, using: &random)))
            #expect(try lower.apply(lower.apply(text)) == lower.apply(text))
            #expect(try title.apply(title.apply(text)) == title.apply(text))
        }
    }

    // MARK: truncate

    @Test("truncate cuts to the length, ellipsis included, counting characters as people see them")
    func truncateCuts() throws {
        #expect(try Run.forward("truncate", "Quarterly review", ["length": 10, "ellipsis": "…"]) == "Quarterly…")
        #expect(try Run.forward("truncate", "Quarterly review", ["length": 9]) == "Quarterly")
        #expect(try Run.forward("truncate", "short", ["length": 10, "ellipsis": "..."]) == "short")
        #expect(try Run.forward("truncate", "exact", ["length": 5, "ellipsis": "..."]) == "exact")
        #expect(try Run.forward("truncate", "👩‍👩‍👧café", ["length": 3]) == "👩‍👩‍👧ca")
        #expect(try Run.forward("truncate", "anything", ["length": 0]) == "")
    }

    @Test("truncate rejects a negative length and an ellipsis longer than the length")
    func truncateArguments() {
        let negative = #expect(throws: TransformError.self) { try Run.make("truncate", ["length": -1]) }
        #expect(negative?.argument == "length")
        let long = #expect(throws: TransformError.self) { try Run.make("truncate", ["length": 2, "ellipsis": "..."]) }
        #expect(long?.argument == "ellipsis")
    }

    @Test("truncate never returns more than length characters for generated text")
    func truncateLengthProperty() throws {
        var random = SplitMix64(seed: 41)
        for _ in 0..<300 {
            let length = Int.random(in: 1...20, using: &random)
            let transform = try Run.make("truncate", ["length": .number(Double(length)), "ellipsis": "…"])
            let text = random.string(from: Array("ab é👍 "), length: Int.random(in: 0...30, using: &random))
            let result = try transform.apply(.string(text))
            #expect((result.stringValue?.count ?? .max) <= length)
            #expect(text.hasPrefix(result.stringValue?.replacingSuffix("…") ?? "-"))
        }
    }

    // MARK: slug

    @Test("slug makes lowercase ASCII words joined by the separator")
    func slugMakes() throws {
        #expect(try Run.forward("slug", "Crème Brûlée & Co. (UK)") == "creme-brulee-co-uk")
        #expect(try Run.forward("slug", "Straße Ærø Łódź") == "strasse-aero-lodz")
        #expect(try Run.forward("slug", "  --Hello,   World!--  ") == "hello-world")
        #expect(try Run.forward("slug", "Site 42", ["separator": "_"]) == "site_42")
        #expect(try Run.forward("slug", "a very long company name", ["max_length": 8]) == "a-very-l")
        #expect(try Run.forward("slug", "a very long", ["max_length": 7]) == "a-very")
        #expect(try Run.forward("slug", "日本語") == "")
        #expect(try Run.forward("slug", "") == "")
    }

    @Test("slug rejects a max_length below 1")
    func slugArguments() {
        let error = #expect(throws: TransformError.self) { try Run.make("slug", ["max_length": 0]) }
        #expect(error?.argument == "max_length")
    }

    @Test("slug output only has lowercase ASCII letters, digits and single separators for generated text")
    func slugShapeProperty() throws {
        var random = SplitMix64(seed: 43)
        let slug = try Run.make("slug")
        let alphabet = Array("aZé9 -_.!ßÆ😀\t")
        for _ in 0..<300 {
            let text = random.string(from: alphabet, length: Int.random(in: 0...20, using: &random))
            let result = try #require(try slug.apply(.string(text)).stringValue)
            #expect(result.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }, "\(result)")
            #expect(!result.contains("--") && !result.hasPrefix("-") && !result.hasSuffix("-"), "\(result)")
            #expect(try slug.apply(.string(result)) == .string(result))
        }
    }

    // MARK: split, join

    @Test("split splits at the separator, trimming and omitting empty items by default")
    func splitSplits() throws {
        #expect(try Run.forward("split", "red, green,,blue") == ["red", "green", "blue"])
        #expect(try Run.forward("split", "a;;b", ["separator": ";", "omit_empty": false]) == ["a", "", "b"])
        #expect(try Run.forward("split", " a | b ", ["separator": "|", "trim": false]) == [" a ", " b "])
        #expect(try Run.forward("split", "") == [])
        #expect(try Run.forward("split", "single") == ["single"])
    }

    @Test("split rejects an empty separator and arrays")
    func splitEdges() {
        let empty = #expect(throws: TransformError.self) { try Run.make("split", ["separator": ""]) }
        #expect(empty?.argument == "separator")
        let array = #expect(throws: TransformError.self) { try Run.forward("split", ["a"]) }
        #expect(array?.code == .wrongInputType)
    }

    @Test("join joins scalars, skipping nulls, and rejects nested values")
    func joinJoins() throws {
        #expect(try Run.forward("join", ["red", "green", 3, true]) == "red, green, 3, true")
        #expect(try Run.forward("join", ["a", nil, "b"], ["separator": "|"]) == "a|b")
        #expect(try Run.forward("join", []) == "")
        let nullItem = #expect(throws: TransformError.self) {
            try Run.forward("join", ["a", nil], ["skip_null": false])
        }
        #expect(nullItem?.message == "item 1 is null, not a string, number or boolean")
        let nested = #expect(throws: TransformError.self) { try Run.forward("join", ["a", ["b"]]) }
        #expect(nested?.code == .wrongInputType)
        let text = #expect(throws: TransformError.self) { try Run.forward("join", "a,b") }
        #expect(text?.message == "expected an array, got a string")
        #expect(try Run.forward("join", nil) == nil)
    }

    @Test("split and join reverse each other for generated items without separators or padding")
    func splitJoinRoundTripProperty() throws {
        var random = SplitMix64(seed: 47)
        let split = try Run.make("split", ["separator": ";"])
        let join = try Run.make("join", ["separator": ";"])
        let alphabet = Array("abc XYZ-é")
        var texts: [JSONValue] = []
        var arrays: [JSONValue] = []
        for _ in 0..<300 {
            let items = (0..<Int.random(in: 1...5, using: &random)).map { _ in
                "x" + random.string(from: alphabet, length: Int.random(in: 0...5, using: &random)) + "y"
            }
            texts.append(.string(items.joined(separator: ";")))
            arrays.append(.array(items.map(JSONValue.string)))
        }
        #expect(try Run.roundTripFailures(split, texts).isEmpty)
        #expect(try Run.roundTripFailures(join, arrays).isEmpty)
    }

    // MARK: regex_extract, regex_replace

    @Test("regex_extract returns the first group by default, the whole match without groups, or null")
    func regexExtract() throws {
        #expect(try Run.forward("regex_extract", "Ticket #4521 opened", ["pattern": "#(\\d+)"]) == "4521")
        #expect(try Run.forward("regex_extract", "Ticket #4521", ["pattern": "#\\d+"]) == "#4521")
        #expect(try Run.forward("regex_extract", "Ticket #4521", ["pattern": "#(\\d+)", "group": 0]) == "#4521")
        #expect(try Run.forward("regex_extract", "no number", ["pattern": "#(\\d+)"]) == nil)
        #expect(try Run.forward("regex_extract", "AB-12", ["pattern": "ab-(\\d+)", "ignore_case": true]) == "12")
        #expect(
            try Run.forward("regex_extract", "a1 b22 c333", ["pattern": "\\d+", "all": true]) == ["1", "22", "333"]
        )
        #expect(try Run.forward("regex_extract", "x", ["pattern": "(y)?x"]) == nil)
        #expect(try Run.forward("regex_extract", "café 👍 42", ["pattern": "👍 (\\d+)"]) == "42")
    }

    @Test("regex_extract rejects an invalid pattern and a group the pattern lacks at configuration")
    func regexExtractArguments() {
        let pattern = #expect(throws: TransformError.self) { try Run.make("regex_extract", ["pattern": "(unclosed"]) }
        #expect(pattern?.argument == "pattern")
        #expect(pattern?.message == "'(unclosed' is not a valid regular expression")
        let group = #expect(throws: TransformError.self) {
            try Run.make("regex_extract", ["pattern": "(a)", "group": 2])
        }
        #expect(group?.argument == "group")
    }

    @Test("regex_replace replaces every match with group references")
    func regexReplace() throws {
        let arguments: [String: JSONValue] = ["pattern": "(\\d+)-(\\d+)-(\\d+)", "replacement": "$3.$2.$1"]
        #expect(try Run.forward("regex_replace", "2024-03-10", arguments) == "10.03.2024")
        #expect(try Run.forward("regex_replace", "a  b   c", ["pattern": "\\s+", "replacement": " "]) == "a b c")
        #expect(try Run.forward("regex_replace", "Tel: +44 (0)20", ["pattern": "[^0-9+]"]) == "+44020")
        #expect(
            try Run.forward("regex_replace", "ABC", ["pattern": "b", "replacement": "-", "ignore_case": true]) == "A-C"
        )
        #expect(try Run.forward("regex_replace", "5", ["pattern": "\\d", "replacement": "\\$"]) == "$")
        #expect(try Run.forward("regex_replace", "", ["pattern": "x"]) == "")
    }

    @Test("regex_replace rejects an invalid pattern")
    func regexReplaceArguments() {
        let error = #expect(throws: TransformError.self) { try Run.make("regex_replace", ["pattern": "[a-"]) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.transform == "regex_replace")
    }
}

extension String {
    /// The text without `suffix` at its end.
    fileprivate func replacingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
