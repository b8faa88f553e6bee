import Foundation
import SynclineCore
import Testing

@Suite("JSON parsing and serialisation")
struct JSONParsingTests {
    // MARK: valid documents

    @Test("every kind of value parses, at the top level and nested")
    func validDocuments() throws {
        #expect(try JSONValue.parse("null") == .null)
        #expect(try JSONValue.parse("true") == .bool(true))
        #expect(try JSONValue.parse("false") == .bool(false))
        #expect(try JSONValue.parse("0") == .number(0))
        #expect(try JSONValue.parse("-12.5e2") == .number(-1250))
        #expect(try JSONValue.parse(#""text""#) == .string("text"))
        #expect(try JSONValue.parse("[]") == .array([]))
        #expect(try JSONValue.parse("{}") == .object([:]))
        #expect(try JSONValue.parse(" \t\r\n[ 1 , { } , [ ] ]\n") == [1, .object([:]), .array([])])
        let text = #"{"id":7,"name":"Ada","tags":["a",null,false],"site":{"id":2.5,"lines":[]},"e":1E+2}"#
        let expected: JSONValue = [
            "id": 7, "name": "Ada", "tags": ["a", nil, false], "site": ["id": .number(2.5), "lines": []], "e": 100,
        ]
        #expect(try JSONValue.parse(text) == expected)
        #expect(try JSONValue.parse(data: Data(text.utf8)) == expected)
        #expect(try JSONValue.parse(bytes: Array(text.utf8)) == expected)
    }

    @Test("numbers follow the grammar and keep their exact values")
    func numbers() throws {
        let cases: [(String, Double)] = [
            ("0", 0), ("-0", -0.0), ("1", 1), ("-1", -1), ("0.5", 0.5), ("0.1", 0.1), ("1e21", 1e21),
            ("1E-7", 1e-7), ("1.5e-7", 1.5e-7), ("9007199254740993", 9_007_199_254_740_993),
            ("12345678901234567890", 12_345_678_901_234_567_890), ("1.7976931348623157e308", .greatestFiniteMagnitude),
            ("5e-324", 5e-324), ("2.2250738585072014e-308", 2.2250738585072014e-308), ("0e400", 0),
            ("0.000000000000000000000000000001", 1e-30), ("123.456e-2", 1.23456), ("100000000000000000000000", 1e23),
        ]
        for (text, value) in cases {
            let parsed = try JSONValue.parse(text)
            guard case .number(let number) = parsed else {
                Issue.record("\(text) parsed as \(parsed)")
                continue
            }
            #expect(number.bitPattern == value.bitPattern, "\(text)")
        }
    }

    @Test("escapes, including \\u escapes and surrogate pairs, decode to the right characters")
    func escapes() throws {
        #expect(try JSONValue.parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(try JSONValue.parse(#""\u0041\u00e9\u4E2D\u0000""#) == .string("Aé中\u{0}"))
        #expect(try JSONValue.parse(#""\ud83d\ude00 and \uD834\uDD1E""#) == .string("😀 and 𝄞"))
        #expect(try JSONValue.parse(#""plain é 中 😀 \u00e9""#) == .string("plain é 中 😀 é"))
        #expect(try JSONValue.parse(#"{"k\u00e9y":"v"}"#) == ["kéy": "v"])
        #expect(try JSONValue.parse("\"\u{7F}\u{2028}\"") == .string("\u{7F}\u{2028}"))
    }

    @Test("duplicate keys keep the last value")
    func duplicateKeys() throws {
        #expect(try JSONValue.parse(#"{"a":1,"b":2,"a":3}"#) == ["a": 3, "b": 2])
    }

    @Test("a UTF-8 BOM is skipped and UTF-16 or UTF-32 input is converted, as JSONDecoder does")
    func encodings() throws {
        #expect(try JSONValue.parse("\u{FEFF}[1]") == [1])
        #expect(try JSONValue.parse(bytes: [0xEF, 0xBB, 0xBF, 0x31]) == 1)
        let text = #"{"a":["é",2]}"#
        let expected: JSONValue = ["a": ["é", 2]]
        for encoding: String.Encoding in [.utf16LittleEndian, .utf16BigEndian, .utf32LittleEndian, .utf32BigEndian] {
            let data = try #require(text.data(using: encoding))
            #expect(try JSONValue.parse(data: data) == expected, "\(encoding)")
        }
        let bom = try #require(text.data(using: .utf16))
        #expect(try JSONValue.parse(data: bom) == expected)
    }

    @Test("nesting up to the depth limit parses; deeper input is an error, not a crash")
    func depthLimit() throws {
        let limit = JSONValue.maximumParsingDepth
        #expect(limit == 512)
        let arrays = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(throws: Never.self) { try JSONValue.parse(arrays) }
        let objects = String(repeating: #"{"a":"#, count: limit) + "1" + String(repeating: "}", count: limit)
        #expect(throws: Never.self) { try JSONValue.parse(objects) }

        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        let error = try #require(throws: JSONParseError.self) { try JSONValue.parse(tooDeep) }
        #expect(error.kind == .nestingTooDeep)
        #expect(error.offset == limit)
        #expect(error.column == limit + 1)
        let hostile = String(repeating: #"{"a":["#, count: 100_000)
        #expect((try? JSONValue.parse(hostile)) == nil)
    }

    // MARK: errors

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        let input: [UInt8]
        let kind: JSONParseError.Kind
        /// The expected description, position included.
        let description: String
        /// The expected byte offset; by default the column minus one (ASCII on the first line).
        let offset: Int?

        init(_ text: String, _ kind: JSONParseError.Kind, _ description: String, offset: Int? = nil) {
            self.init(bytes: Array(text.utf8), kind, description, offset: offset)
        }

        init(bytes: [UInt8], _ kind: JSONParseError.Kind, _ description: String, offset: Int? = nil) {
            self.input = bytes
            self.kind = kind
            self.description = description
            self.offset = offset
        }

        var testDescription: String { String(decoding: input, as: UTF8.self).debugDescription }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase("", .unexpectedEndOfInput, "expected a value, found end of input at line 1, column 1"),
        ErrorCase("  ", .unexpectedEndOfInput, "expected a value, found end of input at line 1, column 3"),
        ErrorCase(#"{"a" 1}"#, .unexpectedCharacter, "expected ':' after an object key, found '1' at line 1, column 6"),
        ErrorCase(
            "{\n  \"id\": 1,\n  \"name\" \"x\"\n}",
            .unexpectedCharacter,
            "expected ':' after an object key, found '\"' at line 3, column 10",
            offset: 22
        ),
        ErrorCase(
            "[\r\n1,\r\n2 3]",
            .unexpectedCharacter,
            "expected ',' or ']' after an array element, found '3' at line 3, column 3",
            offset: 9
        ),
        ErrorCase("[\"é\", x]", .unexpectedCharacter, "expected a value, found 'x' at line 1, column 7", offset: 7),
        ErrorCase("[1,]", .unexpectedCharacter, "expected a value, found ']' at line 1, column 4"),
        ErrorCase(#"{"a":1,}"#, .unexpectedCharacter, "expected a string key after ',', found '}' at line 1, column 8"),
        ErrorCase("{1:2}", .unexpectedCharacter, "expected a string key or '}', found '1' at line 1, column 2"),
        ErrorCase("{", .unexpectedEndOfInput, "expected a string key or '}', found end of input at line 1, column 2"),
        ErrorCase(
            #"{"a":1 "b":2}"#,
            .unexpectedCharacter,
            "expected ',' or '}' after an object member, found '\"' at line 1, column 8"
        ),
        ErrorCase(
            #"{"a":1"#,
            .unexpectedEndOfInput,
            "expected ',' or '}' after an object member, found end of input at line 1, column 7"
        ),
        ErrorCase(
            #"{"a""#,
            .unexpectedEndOfInput,
            "expected ':' after an object key, found end of input at line 1, column 5"
        ),
        ErrorCase(
            "[1",
            .unexpectedEndOfInput,
            "expected ',' or ']' after an array element, found end of input at line 1, column 3"
        ),
        ErrorCase(
            #""abc"#,
            .unexpectedEndOfInput,
            "expected '\"' to close the string, found end of input at line 1, column 5"
        ),
        ErrorCase("01", .invalidNumber, "a number cannot have a leading zero at line 1, column 2"),
        ErrorCase("-01", .invalidNumber, "a number cannot have a leading zero at line 1, column 3"),
        ErrorCase("-", .unexpectedEndOfInput, "expected a digit after '-', found end of input at line 1, column 2"),
        ErrorCase("-a", .unexpectedCharacter, "expected a digit after '-', found 'a' at line 1, column 2"),
        ErrorCase("-Infinity", .unexpectedCharacter, "expected a digit after '-', found 'I' at line 1, column 2"),
        ErrorCase("1.", .unexpectedEndOfInput, "expected a digit after '.', found end of input at line 1, column 3"),
        ErrorCase("1.e5", .unexpectedCharacter, "expected a digit after '.', found 'e' at line 1, column 3"),
        ErrorCase(
            "1e",
            .unexpectedEndOfInput,
            "expected a digit in the exponent, found end of input at line 1, column 3"
        ),
        ErrorCase(
            "1e+",
            .unexpectedEndOfInput,
            "expected a digit in the exponent, found end of input at line 1, column 4"
        ),
        ErrorCase("1ex", .unexpectedCharacter, "expected a digit in the exponent, found 'x' at line 1, column 3"),
        ErrorCase(".5", .unexpectedCharacter, "expected a value, found '.' at line 1, column 1"),
        ErrorCase("+1", .unexpectedCharacter, "expected a value, found '+' at line 1, column 1"),
        ErrorCase("NaN", .unexpectedCharacter, "expected a value, found 'N' at line 1, column 1"),
        ErrorCase("Infinity", .unexpectedCharacter, "expected a value, found 'I' at line 1, column 1"),
        ErrorCase("1e400", .numberOutOfRange, "the number 1e400 is out of the range of a Double at line 1, column 1"),
        ErrorCase(
            "[1e-400]",
            .numberOutOfRange,
            "the number 1e-400 is out of the range of a Double at line 1, column 2"
        ),
        ErrorCase(
            #""\x""#,
            .invalidEscape,
            #"'\x' is not a JSON escape (use \" \\ \/ \b \f \n \r \t or \uXXXX) at line 1, column 2"#
        ),
        ErrorCase(#""\u12G4""#, .invalidEscape, "expected four hex digits after '\\u', found 'G' at line 1, column 6"),
        ErrorCase(
            #""\u12"#,
            .unexpectedEndOfInput,
            "expected four hex digits after '\\u', found end of input at line 1, column 6"
        ),
        ErrorCase(
            #""\ud800""#,
            .loneSurrogate,
            #"the high surrogate \uD800 is not followed by a low surrogate (\uDC00 to \uDFFF) at line 1, column 2"#
        ),
        ErrorCase(
            #""ab\ud83dx""#,
            .loneSurrogate,
            #"the high surrogate \uD83D is not followed by a low surrogate (\uDC00 to \uDFFF) at line 1, column 4"#
        ),
        ErrorCase(
            #""\ud83d\u0041""#,
            .loneSurrogate,
            #"the high surrogate \uD83D is not followed by a low surrogate (\uDC00 to \uDFFF) at line 1, column 2"#
        ),
        ErrorCase(
            #""\udc00""#,
            .loneSurrogate,
            #"the low surrogate \uDC00 does not follow a high surrogate at line 1, column 2"#
        ),
        ErrorCase(
            "\"a\tb\"",
            .controlCharacterInString,
            "the control character U+0009 must be escaped in a string at line 1, column 3"
        ),
        ErrorCase(
            "\"\n\"",
            .controlCharacterInString,
            "the control character U+000A must be escaped in a string at line 1, column 2"
        ),
        ErrorCase(
            bytes: [0x22, 0x61, 0xFF, 0x22],
            .invalidUTF8,
            "invalid UTF-8 (byte 0xFF) in a string at line 1, column 3"
        ),
        ErrorCase(
            bytes: [0x22, 0xC0, 0xAF, 0x22],
            .invalidUTF8,
            "invalid UTF-8 (byte 0xC0) in a string at line 1, column 2"
        ),
        ErrorCase(
            bytes: [0x22, 0xED, 0xA0, 0x80, 0x22],
            .invalidUTF8,
            "invalid UTF-8 (byte 0xED) in a string at line 1, column 2"
        ),
        ErrorCase(
            bytes: [0x22, 0xE2, 0x82, 0x22],
            .invalidUTF8,
            "invalid UTF-8 (byte 0xE2) in a string at line 1, column 2"
        ),
        ErrorCase(
            bytes: [0x22, 0x5C, 0x6E, 0xF8, 0x22],
            .invalidUTF8,
            "invalid UTF-8 (byte 0xF8) in a string at line 1, column 4"
        ),
        ErrorCase(
            bytes: [0x5B, 0xFF, 0x5D],
            .unexpectedCharacter,
            "expected a value, found byte 0xFF at line 1, column 2"
        ),
        ErrorCase("[é]", .unexpectedCharacter, "expected a value, found 'é' (U+E9) at line 1, column 2"),
        ErrorCase("tru", .unexpectedEndOfInput, "expected 'true', found end of input at line 1, column 4"),
        ErrorCase("trUe", .unexpectedCharacter, "expected 'true', found 'U' at line 1, column 3"),
        ErrorCase("nulL", .unexpectedCharacter, "expected 'null', found 'L' at line 1, column 4"),
        ErrorCase("[falsy]", .unexpectedCharacter, "expected 'false', found 'y' at line 1, column 6"),
        ErrorCase(
            "1 2",
            .trailingCharacters,
            "expected the end of the input after the JSON value, found '2' at line 1, column 3"
        ),
        ErrorCase(
            "{} {}",
            .trailingCharacters,
            "expected the end of the input after the JSON value, found '{' at line 1, column 4"
        ),
        ErrorCase(
            "[1]\n\n  ]",
            .trailingCharacters,
            "expected the end of the input after the JSON value, found ']' at line 3, column 3",
            offset: 7
        ),
        ErrorCase(
            "\u{FEFF}[1 2]",
            .unexpectedCharacter,
            "expected ',' or ']' after an array element, found '2' at line 1, column 4",
            offset: 6
        ),
        ErrorCase(
            bytes: [0xFF, 0xFE, 0x00, 0xD8],
            .invalidEncoding,
            "the input looks like \(String.Encoding.utf16LittleEndian) but does not convert to text at line 1, column 1"
        ),
    ]

    @Test("each mistake is reported with its kind, offset, line, column and what was expected", arguments: errorCases)
    func errors(_ testCase: ErrorCase) throws {
        let error = try #require(throws: JSONParseError.self) { try JSONValue.parse(bytes: testCase.input) }
        #expect(error.kind == testCase.kind)
        #expect(error.description == testCase.description)
        #expect(error.description == "\(error.message) at line \(error.line), column \(error.column)")
        #expect(error.offset == testCase.offset ?? error.column - 1)
        // Every entry point reports the same error.
        let fromData = try #require(throws: JSONParseError.self) { try JSONValue.parse(data: Data(testCase.input)) }
        #expect(fromData == error)
        if let text = String(validating: testCase.input, as: UTF8.self) {
            let fromText = try #require(throws: JSONParseError.self) { try JSONValue.parse(text) }
            #expect(fromText == error)
        }
    }

    @Test("the description names what was expected and where")
    func errorDescription() throws {
        let error = try #require(throws: JSONParseError.self) {
            try JSONValue.parse("{\n  \"id\": 1,\n  \"name\": \"x\",\n  \"site\"= 3\n}")
        }
        #expect(error.description == "expected ':' after an object key, found '=' at line 4, column 9")
        #expect(error.expected == "':' after an object key")
        #expect(error.found == "'='")
    }

    @Test("RFC 8259 where JSONDecoder differs: trailing commas are errors, zeros with exponents are numbers")
    func differencesFromJSONDecoder() throws {
        #expect(throws: JSONParseError.self) { try JSONValue.parse("[1,2,]") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(#"{"a":1,}"#) }
        #expect((try? Self.legacyDecode("[1,2,]")) == [1, 2])
        #expect(try JSONValue.parse("0e2") == 0)
        #expect(try JSONValue.parse("[0.00e5]") == [0])
        #expect((try? Self.legacyDecode("0e2")) == nil)
    }

    // MARK: agreement with the Foundation path

    @Test("sample provider pages parse to what JSONDecoder produced")
    func providerPagesMatchJSONDecoder() throws {
        for page in Self.samplePages {
            let parsed = try JSONValue.parse(data: Data(page.utf8))
            #expect(parsed == (try Self.legacyDecode(page)))
            #expect(parsed == (try JSONDecoder().decode(JSONValue.self, from: Data(page.utf8))))
            #expect(try parsed.jsonString() == Self.legacyEncode(parsed))
        }
    }

    @Test("generated documents, compact and pretty-printed, parse to what JSONDecoder produced")
    func generatedDocumentsMatchJSONDecoder() throws {
        var generator = SeededGenerator(seed: 0x5EED_0001)
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted]
        for _ in 0..<400 {
            let value = generator.value(depth: 4)
            for text in [try value.jsonString(), String(decoding: try pretty.encode(value), as: UTF8.self)] {
                let parsed = try JSONValue.parse(text)
                #expect(parsed == (try Self.legacyDecode(text)), "\(text)")
                #expect(parsed == (try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))), "\(text)")
            }
        }
    }

    @Test("generated number texts parse to the same Double as JSONDecoder, and are rejected when it rejects them")
    func numbersMatchJSONDecoder() throws {
        var generator = SeededGenerator(seed: 0x5EED_0002)
        var texts = [
            "1e400", "-1e400", "1e-400", "2e-324", "3e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
            "1.7976931348623158e308", "1.7976931348623159e308", "4.9406564584124654e-324", "0.0e999", "-0.0",
            "9007199254740992", "9007199254740993", "18446744073709551615", "18446744073709551616",
            "0.1000000000000000055511151231257827", "1" + String(repeating: "0", count: 400),
            "0." + String(repeating: "0", count: 400) + "1", "123456789012345678901234567890e-10",
        ]
        for _ in 0..<3_000 { texts.append(generator.numberText()) }
        for text in texts {
            let legacy = try? Self.legacyDecode(text)
            let parsed = try? JSONValue.parse(text)
            switch (legacy, parsed) {
            case (.number(let old)?, .number(let new)?):
                #expect(old.bitPattern == new.bitPattern, "\(text)")
            case (nil, nil):
                break
            case (nil, .number(let new)?) where new == 0 && Self.isZeroWithExponent(text):
                // JSONDecoder rejects some valid zeros such as 0e2 and 0.00e5; RFC 8259 allows them.
                break
            default:
                Issue.record(
                    "\(text): JSONDecoder gave \(String(describing: legacy)), parse gave \(String(describing: parsed))"
                )
            }
        }
    }

    @Test("generated strings with escapes decode as JSONDecoder decodes them")
    func stringsMatchJSONDecoder() throws {
        var generator = SeededGenerator(seed: 0x5EED_0003)
        for _ in 0..<1_000 {
            let text = generator.stringLiteral()
            let legacy = try? Self.legacyDecode(text)
            let parsed = try? JSONValue.parse(text)
            #expect(legacy == parsed, "\(text.debugDescription)")
        }
    }

    @Test("JSONValue inside Codable types still decodes and encodes through JSONDecoder and JSONEncoder")
    func codable() throws {
        struct Envelope: Codable, Equatable {
            var name: String
            var payload: JSONValue
            var extra: [JSONValue]
        }
        let envelope = Envelope(
            name: "x",
            payload: ["a": [1, .number(2.5), "s", true, nil], "b": ["c": .number(-0.0)]],
            extra: [nil, false, "1", 1, [], [:]]
        )
        let data = try JSONEncoder().encode(envelope)
        #expect(try JSONDecoder().decode(Envelope.self, from: data) == envelope)
        let broken = Data(#"{"name":"x","payload":[1,{"a":1e400}],"extra":[]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Envelope.self, from: broken) }
    }

    // MARK: serialisation

    @Test("serialisation equals JSONEncoder's output with sorted keys and unescaped slashes for generated values")
    func serialisationMatchesJSONEncoder() throws {
        var generator = SeededGenerator(seed: 0x5EED_0004)
        for _ in 0..<1_500 {
            let value = generator.value(depth: 4)
            let expected = try Self.legacyEncode(value)
            #expect(try value.jsonString() == expected)
            #expect(try value.jsonBytes() == Array(expected.utf8))
        }
    }

    @Test("numbers serialise as JSONEncoder writes them")
    func numberSerialisation() throws {
        var values: [Double] = [
            0, -0.0, 3, -3, 0.1, 0.2, 0.3, 1e21, 1e22, 1.5e-7, 1e-5, 0.0001, 1e16, 1e15, 123_456.789, 4.35, 2.5,
            9_007_199_254_740_991, 9_007_199_254_740_992, 9_007_199_254_740_993, -9_007_199_254_740_992,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, .leastNormalMagnitude,
            .pi, -.ulpOfOne, 1 / 3, 100, 1e100, 12_345_678_901_234_567_890,
        ]
        var generator = SeededGenerator(seed: 0x5EED_0005)
        for _ in 0..<3_000 { values.append(generator.double()) }
        for value in values {
            let expected = try Self.legacyEncode(.number(value))
            #expect(try JSONValue.number(value).jsonString() == expected, "\(value)")
            #expect(try JSONValue.parse(expected) == .number(value), "\(value)")
        }
        #expect(try JSONValue.number(1e21).jsonString() == "1e+21")
        #expect(try JSONValue.number(1.5e-7).jsonString() == "1.5e-07")
        #expect(try JSONValue.number(-0.0).jsonString() == "0")
        #expect(try JSONValue.number(3).jsonString() == "3")
    }

    @Test("strings escape quotes, backslashes and control characters only, as JSONEncoder does")
    func stringSerialisation() throws {
        var text = ""
        for scalar in 0...0x7F {
            text.unicodeScalars.append(Unicode.Scalar(UInt8(scalar)))
        }
        text += "é中😀\u{2028}\u{FEFF}\u{FFFF}\u{10FFFF}e\u{301}"
        let value = JSONValue.string(text)
        #expect(try value.jsonString() == Self.legacyEncode(value))
        #expect(try JSONValue.string("a/b\"c\\d\n\u{1}\u{1F}").jsonString() == #""a/b\"c\\d\n\u0001\u001f""#)
    }

    @Test("a character to escape or a non-ASCII one at any position, across the 8-byte words scanned at once")
    func specialCharacterAtEveryPosition() throws {
        // The writer and the parser test 8 bytes at a time for text that needs no care: a special character in
        // the first, middle or last byte of a word, or in the bytes after the last whole word, must be seen.
        for special in ["\"", "\\", "\n", "\u{1}", "\u{1F}", "é", "中", "😀", "/", "\u{7F}"] {
            for length in 0...26 {
                for position in 0...length {
                    var text = String(repeating: "a", count: length)
                    text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: position))
                    let value = JSONValue.string(text)
                    let written = try value.jsonString()
                    #expect(written == (try Self.legacyEncode(value)), "\(special.debugDescription) at \(position)")
                    #expect(try JSONValue.parse(written) == value, "\(special.debugDescription) at \(position)")
                }
            }
        }
    }

    @Test("invalid UTF-8 and raw control characters are found at any position of a string")
    func invalidBytesAtEveryPosition() {
        for bad: [UInt8] in [[0xFF], [0xC3], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0x01], [0x1F], [0x0A]] {
            for length in 0...20 {
                for position in 0...length {
                    var content = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    content.insert(contentsOf: bad, at: position)
                    let document = [UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]
                    #expect(throws: JSONParseError.self, "\(bad) at \(position) of \(length)") {
                        try JSONValue.parse(bytes: document)
                    }
                }
            }
        }
    }

    @Test("keys sort by UTF-8 bytes, as JSONEncoder sorts them on Linux")
    func keyOrder() throws {
        let keys = [
            "b", "a", "B", "A", "_", "10", "9", "", " ", "ab", "a b", "aB", "é", "e", "f", "z", "ä", "Ω", "中",
            "😀", "\u{E000}", "\u{FFFF}", "\u{10000}", "\u{7F}", "\u{1}", "a\u{0}", "a", "Zürich", "zurich",
            // Keys that tie on their first 8 bytes, which the writer then compares whole.
            "main_site_name", "main_site_id", "main_site", "main_sit", "accounts", "accountsemailaddress",
            "accountsemail", "abcdefgh", "abcdefgh\u{0}", "abcdefghi", "abcdefg", "Zürich2", "Zürich1",
        ]
        var members: [String: JSONValue] = [:]
        for (position, key) in keys.enumerated() { members[key] = .number(Double(position)) }
        let value = JSONValue.object(members)
        #expect(try value.jsonString() == Self.legacyEncode(value))
        let text = try value.jsonString()
        #expect(text.hasPrefix(#"{"":"#))
        #expect(text.hasSuffix(#""😀":19}"#))
        // UTF-16 order would put U+10000 and the emoji before U+E000 and U+FFFF.
        let ends = try JSONValue.object(["\u{FFFF}": 1, "\u{10000}": 2, "\u{E000}": 3]).jsonString()
        #expect(ends == "{\"\u{E000}\":3,\"\u{FFFF}\":1,\"\u{10000}\":2}")
    }

    @Test("parse(serialise(x)) == x for generated values")
    func roundTrips() throws {
        var generator = SeededGenerator(seed: 0x5EED_0006)
        for _ in 0..<1_500 {
            let value = generator.value(depth: 5)
            #expect(try JSONValue.parse(value.jsonString()) == value)
            #expect(try JSONValue.parse(bytes: value.jsonBytes()) == value)
        }
    }

    @Test("appendJSON appends to existing bytes")
    func appendJSON() throws {
        var bytes = Array("prefix:".utf8)
        try JSONValue(dictionaryLiteral: ("b", 1), ("a", [true])).appendJSON(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"prefix:{"a":[true],"b":1}"#)
    }

    @Test("NaN and infinities are EncodingErrors with JSONEncoder's path and message")
    func nonFiniteNumbers() throws {
        let values: [JSONValue] = [
            .number(.nan), .number(.infinity), .number(-.infinity), ["a": [nil, .number(.nan)]],
            [["x": .number(.infinity)]], ["ok": 1, "deep": ["deeper": [1, 2, .number(-.infinity)]]],
        ]
        for value in values {
            let expected = Self.encodingErrorSummary { _ = try Self.legacyEncode(value) }
            let actual = Self.encodingErrorSummary { _ = try value.jsonString() }
            #expect(actual != nil)
            #expect(actual == expected)
        }
    }

    @Test("serialising 512 or more levels of nesting throws as JSONEncoder does; 511 levels serialise")
    func serialisationDepth() throws {
        func nested(_ levels: Int) -> JSONValue {
            var value = JSONValue.array([])
            for level in 1..<levels { value = level.isMultiple(of: 2) ? [value] : ["k": value] }
            return value
        }
        let fine = nested(511)
        #expect(try fine.jsonString() == Self.legacyEncode(fine))
        #expect(try JSONValue.parse(fine.jsonString()) == fine)
        for levels in [512, 513, 600] {
            let value = nested(levels)
            let expected = Self.encodingErrorSummary { _ = try Self.legacyEncode(value) }
            #expect(expected != nil)
            #expect(Self.encodingErrorSummary { _ = try value.jsonString() } == expected)
        }
        let both = JSONValue.array([nested(600), .number(.nan)])
        #expect(
            Self.encodingErrorSummary { _ = try both.jsonString() }
                == Self.encodingErrorSummary { _ = try Self.legacyEncode(both) }
        )
    }

    // MARK: helpers

    /// `0e2`, `-0.00E+5`: zero mantissa digits with an exponent.
    static func isZeroWithExponent(_ text: String) -> Bool {
        let lowered = text.lowercased()
        guard let exponent = lowered.firstIndex(of: "e") else { return false }
        return lowered[..<exponent].allSatisfy { "-0.".contains($0) }
    }

    /// What `jsonString()` returned before: JSONEncoder over `JSONValue.encode(to:)`.
    static func legacyEncode(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// What `parse(_:)` returned before: JSONDecoder with the old `try?` chain.
    static func legacyDecode(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(LegacyJSONValue.self, from: Data(text.utf8)).value
    }

    static func encodingErrorSummary(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch EncodingError.invalidValue(let value, let context) {
            let path = context.codingPath.map { "\($0.stringValue)|\($0.intValue.map(String.init) ?? "-")" }
            let shown = value is Double ? "\(value)" : "\(type(of: value))"
            return "\(shown) \(path) \(context.debugDescription)"
        } catch {
            return "other: \(error)"
        }
    }

    static let samplePages: [String] = [
        #"""
        {"record_count":3,"page_no":1,"page_size":50,"clients":[
          {"id":1,"name":"Acme Ltd","toplevel_id":1,"toplevel_name":"Acme Group","inactive":false,
           "colour":"#2f6fde","website":"https://www.acme.example/","main_site_id":10,"main_site_name":"Head Office",
           "phonenumber":"+44 20 7946 0001","accountsemailaddress":"accounts@acme.example","client_to_invoice":0,
           "notes":"","balance":-1234.56,"rate":0.175,"tags":null},
          {"id":2,"name":"Zürich \u00c9tablissements \"Quoted\"","inactive":true,"notes":"line1\nline2\ttab \ud83d\ude00",
           "delivery_address":{"line1":"1 High St","line2":"","postcode":"AB1 2CD","country":"United Kingdom"},
           "custom":[{"name":"Region","value":"EU"},{"name":"Tier","value":3}],"big":12345678901234567890},
          {"id":3,"name":"中文 株式会社","website":"http:\/\/example.jp\/","score":1e-7,"ratio":2.5E+3}
        ]}
        """#,
        #"{"data":[{"id":"a1","attributes":{"title":"x","count":0,"flag":true}}],"links":{"next":null},"meta":{}}"#,
        #"[{"id":1},{"id":2,"v":[[],{},[[]],-0,0.0,1.0,100e-2]}]"#,
        "  {\r\n\t\"tickets\" : [ ] ,\r\n\t\"total\" : 0\r\n}  ",
    ]
}

/// The old `init(from:)`, to compare with.
private struct LegacyJSONValue: Decodable {
    let value: JSONValue

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let flag = try? container.decode(Bool.self) {
            value = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            value = .number(number)
        } else if let text = try? container.decode(String.self) {
            value = .string(text)
        } else if let elements = try? container.decode([LegacyJSONValue].self) {
            value = .array(elements.map(\.value))
        } else {
            value = .object(try container.decode([String: LegacyJSONValue].self).mapValues(\.value))
        }
    }
}

/// SplitMix64, so generated cases are the same on every run.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    static let pieces: [String] = [
        "a", "b", "Z", "0", "9", " ", "_", "-", ".", "/", "\"", "\\", "\n", "\t", "\r", "\u{0}", "\u{1}", "\u{8}",
        "\u{C}", "\u{1F}", "\u{7F}", "é", "ß", "中", "😀", "\u{2028}", "\u{FEFF}", "\u{FFFF}", "\u{10000}",
        "e\u{301}", "Ω", "id", "name", "\u{E000}",
    ]

    mutating func string(maxLength: Int) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...maxLength, using: &self) {
            text += Self.pieces.randomElement(using: &self) ?? "a"
        }
        return text
    }

    mutating func double() -> Double {
        switch Int.random(in: 0..<8, using: &self) {
        case 0: return Double(Int.random(in: -1_000...1_000, using: &self))
        case 1: return Double(Int.random(in: -1_000_000...1_000_000, using: &self)) / 100
        case 2: return 9_007_199_254_740_992 + Double(Int.random(in: -4...4, using: &self)) * 2
        case 3:
            let exponent = Double(Int.random(in: -30...30, using: &self))
            return Double.random(in: -10...10, using: &self) * pow(10, exponent)
        case 4: return Double(Int64.random(in: .min ... .max, using: &self))
        case 5: return Double.random(in: 0..<1, using: &self)
        default:
            while true {
                let candidate = Double(bitPattern: next())
                if candidate.isFinite { return candidate }
            }
        }
    }

    mutating func value(depth: Int) -> JSONValue {
        let kinds = depth > 0 ? 7 : 5
        switch Int.random(in: 0..<kinds, using: &self) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &self))
        case 2, 3: return .number(double())
        case 4: return .string(string(maxLength: 8))
        case 5:
            return .array((0..<Int.random(in: 0...5, using: &self)).map { _ in value(depth: depth - 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &self) {
                members[string(maxLength: 4)] = value(depth: depth - 1)
            }
            return .object(members)
        }
    }

    /// Grammar-valid number text with long mantissas and exponents, to reach both conversion paths.
    mutating func numberText() -> String {
        func digits(_ count: Int, _ generator: inout SeededGenerator) -> String {
            String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
        }
        var text = Bool.random(using: &self) ? "-" : ""
        if Int.random(in: 0..<4, using: &self) == 0 {
            text += "0"
        } else {
            text += String(Int.random(in: 1...9, using: &self)) + digits(Int.random(in: 0...22, using: &self), &self)
        }
        if Bool.random(using: &self) {
            text += "." + digits(Int.random(in: 1...22, using: &self), &self)
        }
        if Bool.random(using: &self) {
            text += ["e", "E", "e+", "e-", "E-"].randomElement(using: &self) ?? "e"
            text += digits(Int.random(in: 1...3, using: &self), &self)
        }
        return text
    }

    /// A JSON string literal with raw characters and every kind of escape, valid surrogate pairs included.
    mutating func stringLiteral() -> String {
        let escapes = [
            #"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\n"#, #"\r"#, #"\t"#, #"\u0000"#, #"\u00e9"#, #"\u4E2D"#,
            #"\ud83d\ude00"#, #"\uD834\uDD1E"#, #"\uFFFF"#, #"\u2028"#, "é", "中", "😀", "a", " ", "\u{7F}",
        ]
        var text = "\""
        for _ in 0..<Int.random(in: 0...12, using: &self) {
            text += escapes.randomElement(using: &self) ?? "a"
        }
        return text + "\""
    }
}
