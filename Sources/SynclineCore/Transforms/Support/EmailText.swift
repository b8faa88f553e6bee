import Foundation

/// Email addresses in one canonical form, with a plausibility check (not full RFC 5322).
enum EmailText {
    /// The canonical form of `text`, or nil when it does not look like an address.
    static func normalize(_ text: String, stripTag: Bool) -> String? {
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
}
