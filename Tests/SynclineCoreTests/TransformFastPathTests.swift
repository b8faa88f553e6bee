import Foundation
import Testing

@testable import SynclineCore

/// The transforms' fast paths (ASCII bytes, whole numbers, UTC, number keys) checked against the general
/// behaviour they stand in for, on inputs where they apply and on inputs that must fall back (non-ASCII text,
/// Unicode whitespace, combining marks, `\r\n`), so a fast path that changes a result fails here.
@Suite("Transforms: fast paths agree with the general behaviour")
struct TransformFastPathTests {
    /// ASCII and non-ASCII whitespace (some only in Foundation's set, such as U+200B), letters that change case
    /// or expand (ß, ǆ), a combining mark, an emoji, a byte order mark, and `\r\n` as one character.
    static let alphabet: [Character] = [
        "a", "Z", "q", "1", " ", "\t", "\n", "\r\n", "\u{0B}", "-", "/", ".", "é", "É", "ß", "ǆ", "\u{0301}",
        "😀", "\u{00A0}", "\u{2003}", "\u{200B}", "\u{3000}", "\u{0085}", "\u{2028}", "\u{FEFF}", "i", "İ",
    ]

    /// `title_case` as it was written before its ASCII path: per character, with Unicode case mapping.
    static func referenceTitleCase(_ text: String, lowerRest: Bool) -> String {
        var result = ""
        var startOfWord = true
        for character in text {
            if startOfWord {
                let upper = character.uppercased()
                result += upper.count == 1 ? upper : String(character)
            } else {
                result += lowerRest ? character.lowercased() : String(character)
            }
            startOfWord = character.isWhitespace || character == "-" || character == "/"
        }
        return result
    }

    @Test("trim matches Foundation's trimmingCharacters over generated text, Unicode whitespace included")
    func trimMatchesFoundation() throws {
        var random = SplitMix64(seed: 71)
        let trim = try Run.make("trim")
        let trimSome = try Run.make("trim", ["characters": "-é\u{2003}"])
        let custom = CharacterSet(charactersIn: "-é\u{2003}")
        for _ in 0..<2000 {
            let text = random.string(from: Self.alphabet, length: Int.random(in: 0...8, using: &random))
            #expect(try trim.apply(.string(text)) == .string(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(try trimSome.apply(.string(text)) == .string(text.trimmingCharacters(in: custom)))
        }
        #expect(try trim.apply("\u{00A0} a b\u{3000}") == "a b")
        #expect(try trim.apply(" \u{0301}x ") == "\u{0301}x")
        #expect(try trim.apply("x\u{0301} ") == "x\u{0301}")
        #expect(try trim.apply("\u{FEFF} a") == "\u{FEFF} a")
    }

    @Test("null_if_empty counts only whitespace, Unicode whitespace included, as blank")
    func nullIfEmptyBlank() throws {
        #expect(try Run.forward("null_if_empty", "\u{00A0}\u{2003}\n") == nil)
        #expect(try Run.forward("null_if_empty", " \u{00A0}x ") == " \u{00A0}x ")
        #expect(try Run.forward("null_if_empty", "\u{FEFF}") == "\u{FEFF}")
        var random = SplitMix64(seed: 72)
        let transform = try Run.make("null_if_empty")
        for _ in 0..<1000 {
            let text = random.string(from: Self.alphabet, length: Int.random(in: 0...4, using: &random))
            let blank = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            #expect(try transform.apply(.string(text)) == (blank ? .null : .string(text)))
        }
    }

    @Test("title_case matches the per-character definition on ASCII and non-ASCII text")
    func titleCaseMatchesReference() throws {
        #expect(try Run.forward("title_case", "straße ǆemal") == "Straße Ǆemal")
        #expect(try Run.forward("title_case", "ab\r\ncd\u{0B}ef") == "Ab\r\nCd\u{0B}Ef")
        var random = SplitMix64(seed: 73)
        let title = try Run.make("title_case")
        let keep = try Run.make("title_case", ["lower_rest": false])
        let ascii = Array("abXY -/\t\r\n1.z")
        for round in 0..<2000 {
            let letters = round % 2 == 0 ? ascii : Self.alphabet
            let text = random.string(from: letters, length: Int.random(in: 0...10, using: &random))
            #expect(try title.apply(.string(text)) == .string(Self.referenceTitleCase(text, lowerRest: true)))
            #expect(try keep.apply(.string(text)) == .string(Self.referenceTitleCase(text, lowerRest: false)))
        }
    }

    @Test("lower and upper match the standard library's case mapping, and give text that needs none back as it is")
    func caseMatchesStandardLibrary() throws {
        #expect(try Run.forward("lower", "straße İSTANBUL") == .string("straße İSTANBUL".lowercased()))
        #expect(try Run.forward("upper", "straße ǆ") == "STRASSE Ǆ")
        var random = SplitMix64(seed: 74)
        let lower = try Run.make("lower")
        let upper = try Run.make("upper")
        let ascii = Array("abXY -/\t1.z@[`{")
        for round in 0..<2000 {
            let letters = round % 2 == 0 ? ascii : Self.alphabet
            let text = random.string(from: letters, length: Int.random(in: 0...24, using: &random))
            #expect(try lower.apply(.string(text)) == .string(text.lowercased()))
            #expect(try upper.apply(.string(text)) == .string(text.uppercased()))
        }
    }

    @Test("to_string and to_integer agree with Int64 and Double on whole numbers, fractions, -0 and the 2^53 edge")
    func wholeNumbers() throws {
        let toString = try Run.make("to_string")
        let toInteger = try Run.make("to_integer")
        let edge = 9_007_199_254_740_992.0
        var random = SplitMix64(seed: 75)
        var samples: [Double] = [0, -0.0, 1, -1, 9, 10, -10, 99, 100, 1e15, -1e15, edge, -edge, edge + 2, 0.5, -2.5]
        for _ in 0..<2000 {
            let digits = Int.random(in: 1...16, using: &random)
            let magnitude = Double(Int64.random(in: 0...Int64(9_007_199_254_740_992), using: &random))
            let sign: Double = Bool.random(using: &random) ? -1 : 1
            let quarters: Double = Bool.random(using: &random) ? 4 : 1
            samples.append(sign * magnitude.truncatingRemainder(dividingBy: pow(10, Double(digits))) / quarters)
        }
        for number in samples {
            let whole = number.rounded() == number && abs(number) <= edge
            let text = whole && abs(number) < edge ? String(Int64(number)) : String(number)
            #expect(try toString.apply(.number(number)) == .string(text), "\(number)")
            if whole {
                #expect(try toInteger.apply(.number(number)) == .number(number), "\(number)")
            } else {
                #expect(throws: TransformError.self, "\(number)") { try toInteger.apply(.number(number)) }
            }
        }
    }

    @Test("parse_date knows every month's length, leap years by the Gregorian rule")
    func parseDateMonthLengths() throws {
        let parse = try Run.make("parse_date")
        for (year, leap) in [(2024, true), (2023, false), (1900, false), (2000, true), (2100, false)] {
            for month in 1...12 {
                let length = month == 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].contains(month) ? 30 : 31
                let prefix = String(format: "%04d-%02d-", year, month)
                #expect(try parse.apply(.string(prefix + "\(length)")) == .string(prefix + "\(length)T00:00:00Z"))
                #expect(throws: TransformError.self, "\(prefix)\(length + 1)") {
                    try parse.apply(.string(prefix + "\(length + 1)"))
                }
            }
        }
    }

    @Test("truncate counts characters, not bytes, for short and non-ASCII text")
    func truncateCountsCharacters() throws {
        #expect(try Run.forward("truncate", "abc", ["length": 3]) == "abc")
        #expect(try Run.forward("truncate", "éé", ["length": 2]) == "éé")
        #expect(try Run.forward("truncate", "ééé", ["length": 2]) == "éé")
        #expect(try Run.forward("truncate", "e\u{0301}e\u{0301}x", ["length": 2]) == "e\u{0301}e\u{0301}")
    }

    @Test("to_integer and to_number read numeric text as Double does, after trimming Unicode whitespace")
    func numbersFromText() throws {
        let valid = [
            "0", "-0", "+7", "007", "42", " 42 ", "\u{00A0}12\u{2003}", "1.", ".5", "-2.50", "1e3", "1E-2", "+3e+2",
            "999999999999999", "9999999999999999", "123456789012345678901", "0.1",
        ]
        for text in valid {
            let expected = try #require(Double(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            let number = try #require(try Run.forward("to_number", .string(text)).numberValue)
            #expect(number == expected && number.sign == expected.sign, "\(text)")
        }
        for text in [".", "+", "-", "1e", "1e+", "1.2.3", "0x10", "inf", "nan", "1 2", "١٢", "1_000", "1e400"] {
            #expect(throws: TransformError.self, "\(text)") { try Run.forward("to_number", .string(text)) }
        }
        #expect(try Run.forward("to_integer", " 17 ") == 17)
        #expect(try Run.forward("to_integer", "\u{3000}") == nil)
        #expect(throws: TransformError.self) { try Run.forward("to_integer", "1.5") }
    }

    @Test("value_map looks numbers up by their text, -0 as 0 and 1 not as 1.0")
    func valueMapNumbers() throws {
        let map: JSONValue = ["0": nil, "1.5": "half", "1.0": "one point zero", "1e+30": "big", "true": "yes"]
        #expect(try Run.forward("value_map", .number(-0.0), ["map": map]) == nil)
        #expect(try Run.forward("value_map", 0, ["map": map]) == nil)
        #expect(try Run.forward("value_map", .number(1.5), ["map": map]) == "half")
        #expect(try Run.forward("value_map", 1, ["map": map]) == 1)
        #expect(try Run.forward("value_map", .number(1e30), ["map": map]) == "big")
        #expect(try Run.forward("value_map", true, ["map": map]) == "yes")
        #expect(try Run.forward("value_map", "1.0", ["map": map]) == "one point zero")
        #expect(try Run.forward("value_map", .number(.infinity), ["map": map]) == .number(.infinity))
        let error = #expect(throws: TransformError.self) {
            try Run.forward("value_map", 2, ["map": map, "strict": true])
        }
        #expect(error?.message == "'2' is not in the map")
    }

    @Test("unix_seconds_to_iso writes offsets outside UTC and five-digit years an offset reaches")
    func epochOutsideUTC() throws {
        #expect(
            try Run.forward("unix_seconds_to_iso", 1_710_077_400, ["time_zone": "America/New_York"])
                == "2024-03-10T09:30:00-04:00"
        )
        #expect(
            try Run.forward("unix_seconds_to_iso", 253_402_300_799, ["time_zone": "Pacific/Kiritimati"])
                == "10000-01-01T13:59:59+14:00"
        )
        #expect(try Run.forward("unix_seconds_to_iso", 253_402_300_799) == "9999-12-31T23:59:59Z")
        #expect(try Run.forward("unix_millis_to_iso", -62_135_596_800_000) == "0001-01-01T00:00:00Z")
        #expect(try Run.forward("parse_date", "2024-03-10T09:30:00.250-04:00") == "2024-03-10T13:30:00.250Z")
    }

    @Test("value_map answers the same from a table it scans (up to 8 entries) and one it hashes (more)")
    func smallAndLargeTables() throws {
        for size in [1, 3, 8, 9, 40] {
            var map: [String: JSONValue] = [:]
            for key in 0..<size { map[String(key * 7)] = .string("n\(key)") }
            map["Open"] = "ON_TIME"
            let strict = try Run.make("value_map", ["map": .object(map), "strict": true])
            let folding = try Run.make("value_map", ["map": .object(map), "ignore_case": true, "default": "other"])
            for key in 0..<size {
                #expect(try strict.apply(.number(Double(key * 7))) == .string("n\(key)"), "size \(size)")
                #expect(try strict.apply(.string(String(key * 7))) == .string("n\(key)"), "size \(size)")
            }
            #expect(try strict.apply("Open") == "ON_TIME", "size \(size)")
            #expect(try folding.apply("OPEN") == "ON_TIME", "size \(size)")
            #expect(try folding.apply("closed") == "other", "size \(size)")
            #expect(throws: TransformError.self, "size \(size)") { try strict.apply(.number(Double(size * 7 + 1))) }
            #expect(throws: TransformError.self, "size \(size)") { try strict.apply("open") }
        }
    }

    @Test("parse_date gives back text already in its UTC form as it is, and rewrites every other spelling")
    func parseDateCanonicalText() throws {
        let parse = try Run.make("parse_date")
        let write = try Run.make("unix_millis_to_iso")
        var random = SplitMix64(seed: 29)
        for _ in 0..<500 {
            let millis = Double(Int64.random(in: -62_135_596_800_000...253_402_300_799_999, using: &random))
            let canonical = try write.apply(.number(millis))
            #expect(try parse.apply(canonical) == canonical)
        }
        #expect(try parse.apply("2024-03-10T09:30:00.000Z") == "2024-03-10T09:30:00Z")
        #expect(try parse.apply("2024-03-10T09:30:00+00:00") == "2024-03-10T09:30:00Z")
        #expect(try parse.apply("2024-03-10T04:30:00-05:00") == "2024-03-10T09:30:00Z")
        #expect(try parse.apply("2024-03-10T09:30:00.5Z") == "2024-03-10T09:30:00.500Z")
        #expect(try parse.apply("2024-03-10") == "2024-03-10T00:00:00Z")
    }

    /// Pieces of addresses: every character class the email path treats on its own (ASCII whitespace of both sets,
    /// separators Foundation does not count as whitespace, the display name's brackets, `mailto:` in both cases,
    /// a doubled dot, a hyphen at a label's edge, a `+tag`), and non-ASCII text that must take the general path.
    static let emailPieces: [String] = [
        "ada", "Ada", "LOVELACE", "x9", "0", "@", "@", ".", "..", "-", "+crm", "<", ">", ",", " ", "\t", "\n", "\r\n",
        "\u{0B}", "\u{0C}", "\u{1C}", "\u{1F}", "\u{00}", "mailto:", "MAILTO:", "example", "Example.COM", "co.uk",
        "_", "é", "\u{00A0}", "bücher", "\u{2003}",
    ]

    @Test("email_normalize reads ASCII addresses as bytes with the general path's result, over generated text")
    func emailMatchesGeneralPath() throws {
        var random = SplitMix64(seed: 53)
        var valid = 0
        for round in 0..<20_000 {
            var text = ""
            if round.isMultiple(of: 2) {
                // Shaped like an address, so that many are valid and each check is reached near the edge.
                let name = (0..<Int.random(in: 0...2, using: &random)).map { _ in random.pick(Self.emailPieces) }
                // Mostly plain pieces, one in four from every kind.
                func piece(_ plain: [String]) -> String {
                    Int.random(in: 0..<4, using: &random) == 0 ? random.pick(Self.emailPieces) : random.pick(plain)
                }
                let local = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                    piece(["ada", "Ada.", "x9", "0", "_", "+crm", "L"])
                }
                let domain = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                    piece(["example", "Example.", "co", "x-9", "b"])
                }
                let wrapped = Bool.random(using: &random)
                let top = random.pick(["com", "uk", "Io", "-x", "x-", "", "1"])
                let address = local.joined() + "@" + domain.joined() + "." + top
                text = name.joined() + (wrapped ? "<" + address + ">" : address) + random.pick(["", " ", "\n", "\t"])
            } else {
                text = (0..<Int.random(in: 0...8, using: &random)).map { _ in random.pick(Self.emailPieces) }.joined()
            }
            for stripTag in [false, true] {
                let general = EmailText.normalizeGeneral(text, stripTag: stripTag)
                #expect(EmailText.normalize(text, stripTag: stripTag) == general, "\(text.debugDescription)")
                if general != nil { valid += 1 }
            }
        }
        // Enough of the generated text is a valid address for the comparison to mean something.
        #expect(valid > 2_000)
        let display = " Ada Lovelace <MAILTO: Ada.L+x@Example.COM> "
        #expect(EmailText.normalize(display, stripTag: true) == "ada.l@example.com")
        #expect(EmailText.normalize("ada@b\u{00FC}cher.de", stripTag: false) == "ada@bücher.de")
        #expect(EmailText.normalize("ada..b@example.com", stripTag: false) == nil)
    }
}
