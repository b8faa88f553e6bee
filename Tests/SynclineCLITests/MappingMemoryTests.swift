import Foundation
import SynclineTestSupport
import Testing

/// The compiled mapping moves values from step to step without reference counting, which is easy to get wrong in
/// a way no result shows: an early version leaked every value a step made (in release builds only). The mapping
/// benchmark watches its own resident memory and fails when it grows with the records mapped; it runs here as a
/// process of its own, because other tests in this process would move its memory more than a leak does.
@Suite("Mappings keep no memory")
struct MappingMemoryTests {
    @Test(
        "mapping 60,000 records through the standard pipeline leaves resident memory flat",
        .enabled(if: builtExecutablePath("syncline-bench") != nil, "the syncline-bench executable was not built")
    )
    func flat() async throws {
        let bench = try #require(builtExecutablePath("syncline-bench"))
        let child = try ChildProcess(bench, ["mapping", "--records", "60000", "--distinct", "100"])
        let status = try await child.waitForExit(timeout: 120)
        #expect(status == 0, "\(child.output)")
        // The leaking build grew by about 225 bytes per record: 13 MB here, where the limit is 32 bytes per record.
        #expect(child.output.contains("60000 records"), "\(child.output)")
        #expect(child.output.contains("0 failed, 0 warnings"), "\(child.output)")
        #expect(child.output.contains("resident memory"), "\(child.output)")
        // 50 slices of 1,200 records, each timed, the fastest and the median reported.
        #expect(child.output.contains("slices of 1200: fastest "), "\(child.output)")
        #expect(child.output.contains(" records/s), median "), "\(child.output)")
    }
}
