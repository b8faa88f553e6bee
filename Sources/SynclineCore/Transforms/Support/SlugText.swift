import Foundation

/// Turning text into a URL-safe slug: ASCII letters and digits joined by a separator.
enum SlugText {
    /// Letters that folding does not reduce to ASCII, spelled the way they are usually transliterated.
    private static let transliterations: [Character: String] = [
        "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i",
    ]

    static func make(_ text: String, separator: String, maxLength: Int?) -> String {
        let folded = text.lowercased().folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        for character in folded {
            if character.isASCII, character.isLetter || character.isNumber {
                current.append(character)
            } else if let spelled = transliterations[character] {
                current += spelled
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        var slug = words.joined(separator: separator)
        if let maxLength, slug.count > maxLength {
            slug = String(slug.prefix(maxLength))
            while !separator.isEmpty, slug.hasSuffix(separator) { slug.removeLast(separator.count) }
        }
        return slug
    }
}
