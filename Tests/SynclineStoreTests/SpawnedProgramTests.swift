import Foundation
import SynclineTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The PostgreSQL test cluster is started by these helpers; a descriptor it inherited (a test server's listening
/// socket) once kept a closed port accepting connections, and a test waited forever on it.
@Suite("Programs started by the test helpers")
struct SpawnedProgramTests {
    @Test("inherit no descriptor of the test process beyond standard input, output and error")
    func inheritNothing() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(descriptor > 2)
        defer { close(descriptor) }
        let result = try Command.run("/bin/ls", ["/proc/self/fd"])
        let inherited = Set(result.output.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) })
        #expect(!inherited.contains(descriptor), "\(inherited.sorted())")
        // ls itself opens one descriptor to read the directory.
        #expect(inherited.subtracting([0, 1, 2]).count <= 1, "\(inherited.sorted())")
    }
}
