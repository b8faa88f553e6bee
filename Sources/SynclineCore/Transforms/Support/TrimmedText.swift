import Foundation

extension String {
    /// `trimmingCharacters(in:)` without Foundation's round trip when neither end has anything to trim, which is
    /// most text: on Linux that call bridges through NSString and was most of a mapping's cost (BENCHMARKS.md).
    func trimmed(_ set: CharacterSet = .whitespacesAndNewlines) -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        if !set.contains(first) && !set.contains(last) { return self }
        return trimmingCharacters(in: set)
    }
}
