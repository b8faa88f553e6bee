import Foundation

/// A set of characters to trim, with its ASCII members looked up in a bit mask: on Linux every
/// `CharacterSet.contains` goes through CoreFoundation, and even reading `.whitespacesAndNewlines` builds a new
/// set, which together were most of a mapping's cost (BENCHMARKS.md). Other scalars still ask the set.
struct TrimSet: Sendable {
    let set: CharacterSet
    /// Bit n says whether U+00nn (n < 128) is in the set.
    private let ascii: (low: UInt64, high: UInt64)

    init(_ set: CharacterSet) {
        self.set = set
        var low: UInt64 = 0
        var high: UInt64 = 0
        for value in UInt8(0)..<128 where set.contains(Unicode.Scalar(value)) {
            if value < 64 { low |= 1 << value } else { high |= 1 << (value - 64) }
        }
        self.ascii = (low, high)
    }

    /// Whitespace and line breaks, as Foundation defines them.
    static let whitespacesAndNewlines = TrimSet(.whitespacesAndNewlines)

    @inline(__always)
    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 64 { return ascii.low >> value & 1 == 1 }
        if value < 128 { return ascii.high >> (value - 64) & 1 == 1 }
        return set.contains(scalar)
    }
}

extension String {
    /// The text without the set's characters at either end: the same result as `trimmingCharacters(in:)`
    /// (which on Linux bridges through NSString and UTF-16), and the string itself when there is nothing to trim.
    func trimmed(_ set: TrimSet = .whitespacesAndNewlines) -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, set.contains(scalars[start]) { scalars.formIndex(after: &start) }
        while start < end {
            let before = scalars.index(before: end)
            guard set.contains(scalars[before]) else { break }
            end = before
        }
        if start == scalars.startIndex && end == scalars.endIndex { return self }
        return String(scalars[start..<end])
    }

    /// Whether the text is empty or only whitespace and line breaks, without building the trimmed text.
    var isBlank: Bool {
        unicodeScalars.allSatisfy(TrimSet.whitespacesAndNewlines.contains)
    }
}
