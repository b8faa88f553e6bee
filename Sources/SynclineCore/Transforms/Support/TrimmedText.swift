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

    /// Whether the ASCII byte `byte` (< 128) is in the set.
    @inline(__always)
    func contains(ascii byte: UInt8) -> Bool {
        byte < 64 ? ascii.low >> byte & 1 == 1 : ascii.high >> (byte - 64) & 1 == 1
    }

    @inline(__always)
    func contains(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? contains(ascii: UInt8(scalar.value)) : set.contains(scalar)
    }
}

extension String {
    /// The text without the set's characters at either end: the same result as `trimmingCharacters(in:)`
    /// (which on Linux bridges through NSString and UTF-16), and the string itself when there is nothing to trim.
    /// Works on the UTF-8 bytes while both ends are ASCII, which is nearly all text; otherwise on scalars.
    func trimmed(_ set: TrimSet = .whitespacesAndNewlines) -> String {
        // nil: nothing to trim; .some(nil): a non-ASCII end, for the scalar path; otherwise the trimmed text.
        let result: String?? = withBytes { utf8 in
            var start = 0
            var end = utf8.count
            while start < end, utf8[start] < 0x80, set.contains(ascii: utf8[start]) { start += 1 }
            while start < end, utf8[end - 1] < 0x80, set.contains(ascii: utf8[end - 1]) { end -= 1 }
            // A non-ASCII byte at either end may begin or end a scalar in the set.
            if start < end, utf8[start] >= 0x80 || utf8[end - 1] >= 0x80 { return .some(nil) }
            if start == 0, end == utf8.count { return nil }
            // Cut at ASCII bytes, so the bytes between are whole scalars: copied as they are, where slicing the
            // string through its indices aligned each index to a scalar first.
            return String(decoding: UnsafeBufferPointer(rebasing: utf8[start..<end]), as: UTF8.self)
        }
        switch result {
        case nil: return self
        case .some(nil): return trimmedScalars(set)
        case .some(let text?): return text
        }
    }

    private func trimmedScalars(_ set: TrimSet) -> String {
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
    /// Reads bytes while they are ASCII, so ordinary text answers at its first byte; a non-ASCII byte hands the
    /// rest to the scalar check (walking scalars was most of `null_if_empty`'s cost).
    var isBlank: Bool {
        let set = TrimSet.whitespacesAndNewlines
        let ascii: Bool? = withBytes { bytes in
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if !set.contains(ascii: byte) { return false }
            }
            return true
        }
        return ascii ?? unicodeScalars.allSatisfy(set.contains)
    }

    /// Calls `body` with the UTF-8 bytes, without copying a native string or retaining it (`withUTF8` needs a
    /// mutable copy, which retained and released the storage at every call).
    @inline(__always)
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}

extension String {
    /// `lowercased()`, or the string itself when it is ASCII without a capital: most values already are, and
    /// lowercasing wrote a new string for each of them.
    func lowercasedIfNeeded() -> String {
        withBytes { $0.allSatisfy { $0 < 0x80 && !(0x41...0x5A).contains($0) } } ? self : lowercased()
    }

    /// `uppercased()`, or the string itself when it is ASCII without a small letter.
    func uppercasedIfNeeded() -> String {
        withBytes { $0.allSatisfy { $0 < 0x80 && !(0x61...0x7A).contains($0) } } ? self : uppercased()
    }
}
