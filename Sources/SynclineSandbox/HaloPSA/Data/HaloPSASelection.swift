/// The ids a list request selects, as a range narrowed by arithmetic plus predicates evaluated lazily, so
/// counting and paging never hold the records (or even the ids) of the whole selection.
struct HaloPSASelection: Sendable {
    let range: ClosedRange<Int>?
    let predicates: [@Sendable (Int) -> Bool]

    init(range: ClosedRange<Int>?, predicates: [@Sendable (Int) -> Bool] = []) {
        self.range = range
        self.predicates = predicates
    }

    /// The selected ids in ascending order, computed as they are read.
    var ids: LazyFilterSequence<Range<Int>> {
        let predicates = predicates
        let bounds = range.map { $0.lowerBound..<($0.upperBound + 1) } ?? 0..<0
        return bounds.lazy.filter { id in predicates.allSatisfy { $0(id) } }
    }

    /// How many ids are selected (`record_count`).
    func count() -> Int {
        guard let range else { return 0 }
        return predicates.isEmpty ? range.count : ids.reduce(0) { count, _ in count + 1 }
    }

    /// `limit` ids after skipping `offset` of them.
    func page(offset: Int, limit: Int) -> [Int] {
        guard let range, limit > 0 else { return [] }
        guard predicates.isEmpty else { return Array(ids.dropFirst(offset).prefix(limit)) }
        let (first, overflow) = range.lowerBound.addingReportingOverflow(offset)
        guard !overflow, first <= range.upperBound else { return [] }
        return Array(first...min(range.upperBound, first + min(limit, range.count) - 1))
    }

    /// Narrows the range to `other`; nil when they do not overlap.
    func clamped(to other: ClosedRange<Int>?) -> HaloPSASelection {
        guard let range, let other, range.overlaps(other) else {
            return HaloPSASelection(range: nil, predicates: predicates)
        }
        return HaloPSASelection(range: range.clamped(to: other), predicates: predicates)
    }

    func filtered(_ predicate: @escaping @Sendable (Int) -> Bool) -> HaloPSASelection {
        HaloPSASelection(range: range, predicates: predicates + [predicate])
    }
}
