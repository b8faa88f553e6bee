import Testing

@testable import SynclineSandbox

@Suite("Mail text from names")
struct MailTextTests {
    @Test(
        "the byte loop gives what the Character filter gives, for ASCII and for other text",
        arguments: [
            ("Northgate Logistics", false), ("O'Neil-Smith", false), ("Mary.Jane", true), ("A.B.C 123", true),
            ("Zoë Brontë", false), ("Ærø.Ölund", true), ("", false), ("...", true), ("UPPER lower", false),
        ]
    )
    func sameAsCharacterFilter(_ text: String, _ keepingDots: Bool) {
        let reference = text.lowercased().filter { $0.isLetter || (keepingDots && $0 == ".") }
        #expect(MailText.letters(text, keepingDots: keepingDots) == reference)
    }

    @Test("emulated addresses keep their shape: lowercase letters and dots under .example")
    func addresses() {
        #expect(MailText.letters("Northgate Logistics") == "northgatelogistics")
        #expect(MailText.letters("Anna.O'Brien", keepingDots: true) == "anna.obrien")
    }
}
