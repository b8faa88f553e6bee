#if canImport(Glibc)
import Glibc
#endif

/// glibc's allocator gives each thread that allocates its own arena (up to eight per core), and each arena keeps
/// freed memory of its own: with the HTTP client's, SQLite's and the executor's threads all allocating, an import
/// of 1,000,000 records peaked 4 to 5 MB higher, and less predictably, than with two arenas. The threads then
/// share locks: up to a tenth slower in one series of runs on 2 cores, no slower in others (BENCHMARKS.md, stop
/// 14). Set once at process start, before the other threads exist; `MALLOC_ARENA_MAX` chooses otherwise.
public enum MallocArenas {
    /// The arenas Syncline asks for when the operator did not choose.
    public static let defaultLimit: Int32 = 2

    /// The limit to set for a process started as `syncline COMMAND ...`, or nil to leave glibc alone:
    /// `MALLOC_ARENA_MAX` in the environment is the operator's choice, which glibc has already applied, and the
    /// sandbox stands for providers' own servers, so it keeps glibc's defaults (limiting it slowed the emulated
    /// HaloPSA that the import benchmark measures against).
    public static func limit(environment: [String: String], command: String?) -> Int32? {
        environment["MALLOC_ARENA_MAX"] == nil && command != "sandbox" ? defaultLimit : nil
    }

    /// Applies `limit(environment:command:)`; a no-op where the C library is not glibc. Reports whether it set a
    /// limit. `mallopt` is looked up by name: Swift's Glibc module leaves out `malloc.h`, which declares it.
    @discardableResult
    public static func apply(environment: [String: String], command: String?) -> Bool {
        #if canImport(Glibc)
        guard let limit = limit(environment: environment, command: command),
            let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt")
        else { return false }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        /// `M_ARENA_MAX` in glibc's malloc.h.
        let arenaMax: Int32 = -8
        return unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, limit) == 1
        #else
        return false
        #endif
    }
}
