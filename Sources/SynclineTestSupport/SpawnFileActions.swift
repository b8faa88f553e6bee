#if canImport(Glibc)
import Glibc
#endif

/// Asks posix_spawn to close every descriptor from 3 up in the child, so nothing of the test process (a test's
/// listening socket above all) leaks into a program it starts. glibc has had the call since 2.34 but its header
/// does not reach Swift, so it is looked up by name; where it is missing this does nothing.
func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
    #if canImport(Glibc)
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
    let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
    _ = closeFrom(&actions, 3)
    #endif
}
