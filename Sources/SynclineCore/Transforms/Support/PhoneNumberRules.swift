import Foundation

/// Enough of the world's numbering plans to write phone numbers as E.164 (`+442079460958`): calling codes,
/// national trunk prefixes and national number lengths for common countries. Not a full validator; numbers of
/// other countries are only checked for E.164's overall length.
enum PhoneNumberRules {
    struct Country: Sendable {
        /// The prefix dialled before a national number within the country, dropped in E.164.
        let trunkPrefix: String?
        let nationalLengths: ClosedRange<Int>
    }

    /// By calling code.
    static let countries: [String: Country] = [
        "1": Country(trunkPrefix: "1", nationalLengths: 10...10),  // NANP: US, Canada, Caribbean
        "27": Country(trunkPrefix: "0", nationalLengths: 9...9),  // South Africa
        "31": Country(trunkPrefix: "0", nationalLengths: 9...9),  // Netherlands
        "32": Country(trunkPrefix: "0", nationalLengths: 8...9),  // Belgium
        "33": Country(trunkPrefix: "0", nationalLengths: 9...9),  // France
        "34": Country(trunkPrefix: nil, nationalLengths: 9...9),  // Spain
        "39": Country(trunkPrefix: nil, nationalLengths: 6...11),  // Italy keeps its leading 0
        "41": Country(trunkPrefix: "0", nationalLengths: 9...9),  // Switzerland
        "43": Country(trunkPrefix: "0", nationalLengths: 4...13),  // Austria
        "44": Country(trunkPrefix: "0", nationalLengths: 9...10),  // United Kingdom
        "45": Country(trunkPrefix: nil, nationalLengths: 8...8),  // Denmark
        "46": Country(trunkPrefix: "0", nationalLengths: 7...9),  // Sweden
        "47": Country(trunkPrefix: nil, nationalLengths: 8...8),  // Norway
        "48": Country(trunkPrefix: nil, nationalLengths: 9...9),  // Poland
        "49": Country(trunkPrefix: "0", nationalLengths: 6...13),  // Germany
        "52": Country(trunkPrefix: nil, nationalLengths: 10...10),  // Mexico
        "55": Country(trunkPrefix: "0", nationalLengths: 10...11),  // Brazil
        "61": Country(trunkPrefix: "0", nationalLengths: 9...9),  // Australia
        "64": Country(trunkPrefix: "0", nationalLengths: 8...10),  // New Zealand
        "65": Country(trunkPrefix: nil, nationalLengths: 8...8),  // Singapore
        "81": Country(trunkPrefix: "0", nationalLengths: 9...10),  // Japan
        "91": Country(trunkPrefix: "0", nationalLengths: 10...10),  // India
        "351": Country(trunkPrefix: nil, nationalLengths: 9...9),  // Portugal
        "353": Country(trunkPrefix: "0", nationalLengths: 7...9),  // Ireland
    ]

    /// Why a number could not be written in E.164.
    struct Failure: Error {
        let reason: String
    }

    /// `text` in E.164; national numbers take `defaultCountryCode` (digits only).
    static func e164(_ text: String, defaultCountryCode: String?) throws(Failure) -> String {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        body = stripExtension(body)
        var international = false
        if body.hasPrefix("+") {
            international = true
            body.removeFirst()
        }
        // "+44 (0)20 ..." writes the trunk prefix for national callers; it is not part of the number.
        if international { body = body.replacingOccurrences(of: "(0)", with: "") }
        let separators: Set<Character> = [" ", "-", ".", "(", ")", "/", "\u{00A0}"]
        guard body.allSatisfy({ ($0.isASCII && $0.isNumber) || separators.contains($0) }) else {
            throw Failure(reason: "contains characters that are not digits or separators")
        }
        var digits = body.filter { $0.isASCII && $0.isNumber }
        if !international, digits.hasPrefix("00") {
            international = true
            digits.removeFirst(2)
        } else if !international, defaultCountryCode == "1", digits.hasPrefix("011") {
            international = true
            digits.removeFirst(3)
        }
        let full: String
        if international {
            full = digits
            if let (code, country) = country(of: digits) {
                let national = digits.dropFirst(code.count)
                guard country.nationalLengths.contains(national.count) else {
                    throw Failure(
                        reason:
                            "has \(national.count) digits after +\(code), expected \(describe(country.nationalLengths))"
                    )
                }
            }
        } else {
            guard let code = defaultCountryCode else {
                throw Failure(reason: "has no country code and no default_country_code is set")
            }
            var national = Substring(digits)
            let country = countries[code]
            // Countries with trunk prefix 0 have no national number starting with 0; NANP numbers may start
            // with the trunk prefix 1 only as the 11th digit.
            let trunk = country.map { $0.trunkPrefix } ?? "0"
            if let trunk, national.hasPrefix(trunk), trunk == "0" || national.count == 11 {
                national = national.dropFirst(trunk.count)
            }
            if let country, !country.nationalLengths.contains(national.count) {
                throw Failure(
                    reason: "has \(national.count) national digits, expected \(describe(country.nationalLengths))"
                )
            }
            full = code + national
        }
        guard (7...15).contains(full.count), full.first != "0" else {
            throw Failure(reason: "is not 7 to 15 digits with a country code")
        }
        return "+" + full
    }

    /// The known country whose calling code starts `digits` (codes are prefix-free).
    private static func country(of digits: String) -> (String, Country)? {
        for length in 1...3 {
            let code = String(digits.prefix(length))
            if let country = countries[code] { return (code, country) }
        }
        return nil
    }

    /// Drops an extension written as `ext. 12`, `x12` or `#12` at the end.
    private static func stripExtension(_ text: String) -> String {
        for marker in ["extension", "ext.", "ext", "x", "#"] {
            guard let range = text.range(of: marker, options: [.backwards, .caseInsensitive]) else { continue }
            let tail = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
            if !tail.isEmpty, tail.allSatisfy({ $0.isASCII && $0.isNumber }) {
                return text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            }
        }
        return text
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
    }
}
