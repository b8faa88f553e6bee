import Testing

@testable import SynclineStore

@Suite("Planner statistics during bulk imports")
struct StatisticsRefreshTests {
    @Test("refreshed after 5,000 new records, then each time the count doubles; pages that create nothing never")
    func doubling() {
        let refresh = StatisticsRefresh()
        var due: [Int] = []
        var written = 0
        for _ in 0..<100 {
            written += 1000
            if refresh.record(created: 1000) { due.append(written) }
            #expect(!refresh.record(created: 0))
        }
        #expect(due == [5_000, 10_000, 20_000, 40_000, 80_000])
    }
}
