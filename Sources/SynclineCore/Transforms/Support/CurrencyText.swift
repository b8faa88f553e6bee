/// Reading amounts formatted for people: the number is the run from the first to the last digit; around it
/// may be currency codes, symbols, spaces, a sign or parentheses; inside it only digits and separators.
enum CurrencyText {
    /// The amount in `text`, nil when the text is blank; throws when there is no readable number.
    static func parse(_ text: String, decimalSeparator: Character) throws -> Double? {
        let characters = Array(text)
        guard characters.contains(where: { !$0.isWhitespace }) else { return nil }
        guard let firstDigit = characters.firstIndex(where: isDigit),
            let lastDigit = characters.lastIndex(where: isDigit)
        else { throw unreadable(text) }
        let prefix = characters[..<firstDigit]
        let suffix = characters[(lastDigit + 1)...]
        // A leading fraction such as ".50" or ",50" keeps its separator.
        var core = Array(characters[firstDigit...lastDigit])
        var before = Array(prefix)
        if before.last == decimalSeparator, !(before.dropLast().last?.isLetter ?? false) {
            before.removeLast()
            core.insert(decimalSeparator, at: 0)
        }
        let decorations = before + Array(suffix)
        guard decorations.allSatisfy(isDecoration) else { throw unreadable(text) }
        let negative =
            decorations.contains { $0 == "-" || $0 == "\u{2212}" }
            || (decorations.contains("(") && decorations.contains(")"))
        var normalized = ""
        var sawDecimal = false
        for character in core {
            if isDigit(character) {
                normalized.append(character)
            } else if character == decimalSeparator {
                guard !sawDecimal else { throw unreadable(text) }
                sawDecimal = true
                normalized.append(".")
            } else if isGrouping(character), !sawDecimal {
                continue
            } else {
                throw unreadable(text)
            }
        }
        guard let magnitude = NumberText.parse(normalized) else { throw unreadable(text) }
        return negative ? -magnitude : magnitude
    }

    private static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isNumber
    }

    /// Characters that group digits: both separators (the non-decimal one is grouping), apostrophes, spaces.
    private static func isGrouping(_ character: Character) -> Bool {
        character == "," || character == "." || character == "'" || character == "\u{2019}" || character.isWhitespace
    }

    /// Characters allowed around the number: letters (currency codes), currency symbols, spaces, signs, parentheses.
    private static func isDecoration(_ character: Character) -> Bool {
        character.isLetter || character.isCurrencySymbol || character.isWhitespace
            || ["-", "+", "(", ")", "\u{2212}", "."].contains(character)
    }

    private static func unreadable(_ text: String) -> TransformError {
        TransformError(.invalidInput, "'\(text)' is not a readable amount")
    }
}
