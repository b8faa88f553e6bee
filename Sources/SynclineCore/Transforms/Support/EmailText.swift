import Foundation

/// Email addresses in one canonical form, with a plausibility check (not full RFC 5322).
enum EmailText {
    /// The canonical form of `text`, or nil when it does not look like an address. ASCII text, which nearly every
    /// address is, is read as bytes; other text takes the general path. The general path trims through Foundation
    /// and tests each `Character`'s Unicode properties, and it was a quarter of a mapped HaloPSA clients import
    /// (BENCHMARKS.md, stop 17). `TransformFastPathTests` checks that both paths agree.
    static func normalize(_ text: String, stripTag: Bool) -> String? {
        switch text.withBytes({ asciiNormalize($0, stripTag: stripTag) }) {
        case .notASCII: return normalizeGeneral(text, stripTag: stripTag)
        case .invalid: return nil
        case .address(let address): return address
        }
    }

    /// The definition: what `normalize` answers for any text.
    static func normalizeGeneral(_ text: String, stripTag: Bool) -> String? {
        var address = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let open = address.lastIndex(of: "<"), address.hasSuffix(">") {
            address = String(address[address.index(after: open)..<address.index(before: address.endIndex)])
        }
        if address.lowercased().hasPrefix("mailto:") { address = String(address.dropFirst(7)) }
        address = address.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        var local = parts[0]
        let domain = parts[1]
        if stripTag, let plus = local.firstIndex(of: "+") { local = local[..<plus] }
        guard !local.isEmpty, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
            !local.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
        else { return nil }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
            labels.allSatisfy({ label in
                !label.isEmpty && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
            })
        else { return nil }
        return local + "@" + domain
    }

    /// What the byte path found: text it cannot read (not ASCII), or its answer.
    enum ASCIIResult {
        case notASCII
        case invalid
        case address(String)
    }

    /// `normalizeGeneral` for text of ASCII bytes only, step for step: in ASCII, Foundation's whitespace and
    /// newlines are 0x09–0x0D and space, its whitespace is tab and space, `Character.isWhitespace` is 0x09–0x0D
    /// and space, and letters and numbers are a–z and 0–9 once lowercased.
    private static func asciiNormalize(_ bytes: UnsafeBufferPointer<UInt8>, stripTag: Bool) -> ASCIIResult {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return .notASCII }
        func isSpaceOrNewline(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        var start = 0
        var end = bytes.count
        while start < end, isSpaceOrNewline(bytes[start]) { start += 1 }
        while start < end, isSpaceOrNewline(bytes[end - 1]) { end -= 1 }
        // A display name: what is inside the last `<` when the text ends with `>`.
        if start < end, bytes[end - 1] == UInt8(ascii: ">"),
            let open = (start..<end).last(where: { bytes[$0] == UInt8(ascii: "<") })
        {
            start = open + 1
            end -= 1
        }
        let mailto = Array("mailto:".utf8)
        if end - start >= mailto.count,
            (0..<mailto.count).allSatisfy({ lowered(bytes[start + $0]) == mailto[$0] })
        {
            start += mailto.count
        }
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while start < end, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        let address = bytes[start..<end].map(lowered)
        guard let at = address.firstIndex(of: UInt8(ascii: "@")),
            !address[(at + 1)...].contains(UInt8(ascii: "@"))
        else { return .invalid }
        var local = address[..<at]
        let domain = address[(at + 1)...]
        if stripTag, let plus = local.firstIndex(of: UInt8(ascii: "+")) { local = local[..<plus] }
        let dot = UInt8(ascii: ".")
        guard let first = local.first, let last = local.last, first != dot, last != dot,
            !zip(local, local.dropFirst()).contains(where: { $0 == dot && $1 == dot }),
            !local.contains(where: {
                isSpaceOrNewline($0) || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: ",")
            })
        else { return .invalid }
        let labels = domain.split(separator: dot, omittingEmptySubsequences: false)
        let hyphen = UInt8(ascii: "-")
        guard labels.count >= 2,
            labels.allSatisfy({ label in
                guard let first = label.first, let last = label.last, first != hyphen, last != hyphen else {
                    return false
                }
                return label.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == hyphen }
            })
        else { return .invalid }
        return .address(String(decoding: local + [UInt8(ascii: "@")] + domain, as: UTF8.self))
    }

    @inline(__always)
    private static func lowered(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
}
