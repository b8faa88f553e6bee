import SynclineApp
import Testing

/// The allocator limit a `syncline` process sets at start.
@Suite("Malloc arenas")
struct MallocArenasTests {
    @Test("Syncline's commands limit the arenas; the operator's MALLOC_ARENA_MAX and the sandbox are left alone")
    func limits() {
        #expect(MallocArenas.limit(environment: [:], command: "serve") == MallocArenas.defaultLimit)
        #expect(MallocArenas.limit(environment: ["HOME": "/root"], command: "worker") == 2)
        #expect(MallocArenas.limit(environment: [:], command: nil) == 2)
        #expect(MallocArenas.limit(environment: ["MALLOC_ARENA_MAX": "8"], command: "serve") == nil)
        #expect(MallocArenas.limit(environment: [:], command: "sandbox") == nil)
    }

    #if os(Linux)
    @Test("on glibc the limit is set through mallopt, which accepts it")
    func applies() {
        #expect(MallocArenas.apply(environment: [:], command: "serve"))
        #expect(!MallocArenas.apply(environment: ["MALLOC_ARENA_MAX": "8"], command: "serve"))
    }
    #endif
}
