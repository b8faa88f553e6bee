import Foundation

/// Opaque, time-ordered ids (`ten_01jd...`): sortable by creation time, so lists and cursors need no extra column.
public enum Identifier {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    /// A new id: the prefix, an underscore, 10 characters of milliseconds since 1970, 16 random characters.
    public static func make(prefix: String, now: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(prefix: prefix, now: now, using: &generator)
    }

    /// A new id drawing its random part from `generator` (tests pass a seeded one).
    public static func make(
        prefix: String,
        now: Date,
        using generator: inout some RandomNumberGenerator
    ) -> String {
        var chars: [Character] = []
        chars.reserveCapacity(26)
        var millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var timePart = [Character](repeating: "0", count: 10)
        for index in stride(from: 9, through: 0, by: -1) {
            timePart[index] = alphabet[Int(millis & 31)]
            millis >>= 5
        }
        chars.append(contentsOf: timePart)
        for _ in 0..<16 {
            chars.append(alphabet[Int(generator.next(upperBound: UInt8(32)))])
        }
        return prefix + "_" + String(chars)
    }
}
