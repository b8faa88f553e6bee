/// Title case as `title_case` writes it: the first letter of every word capitalised (words start after
/// whitespace, `-` or `/`), the others lowercased or kept.
enum TitleCaseText {
    static func make(_ text: String, lowerRest: Bool) -> String {
        ascii(text, lowerRest: lowerRest) ?? general(text, lowerRest: lowerRest)
    }

    /// Per grapheme cluster, with Unicode case mapping.
    private static func general(_ text: String, lowerRest: Bool) -> String {
        var result = ""
        var startOfWord = true
        for character in text {
            if startOfWord {
                // A letter whose capital is two letters (ß -> SS) stays as it is, as in title case.
                let upper = character.uppercased()
                result += upper.count == 1 ? upper : String(character)
            } else {
                result += lowerRest ? character.lowercased() : String(character)
            }
            startOfWord = character.isWhitespace || character == "-" || character == "/"
        }
        return result
    }

    /// The same result byte by byte for ASCII text, where case mapping is `a`...`z` <-> `A`...`Z`, whitespace
    /// is tab to carriage return and space, and `\r\n` (one character) acts as its two bytes do; nil otherwise.
    /// The general path builds a string per character, which made `title_case` a visible cost per record.
    private static func ascii(_ text: String, lowerRest: Bool) -> String? {
        text.withBytes { utf8 in
            guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            return String(unsafeUninitializedCapacity: utf8.count) { buffer in
                var startOfWord = true
                for position in utf8.indices {
                    let byte = utf8[position]
                    let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
                    buffer[position] =
                        !isLetter ? byte : startOfWord ? byte & ~0x20 : lowerRest ? byte | 0x20 : byte
                    startOfWord =
                        byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte) || byte == UInt8(ascii: "-")
                        || byte == UInt8(ascii: "/")
                }
                return utf8.count
            }
        }
    }
}
