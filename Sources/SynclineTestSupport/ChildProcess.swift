import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A program started in the background for an end-to-end test (the `syncline` binary), with its output in a
/// file, so a test can wait for a line, send it a signal and collect its exit status.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    public let outputPath: String

    /// Starts `executable` with `arguments` and the current environment plus `environment`.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        outputPath =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("syncline-child-\(UUID().uuidString).log").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of ours reaches the child: an inherited listening socket (a test's server) would outlive
        // the server in a long-lived child such as the PostgreSQL postmaster, and connections to that port would
        // then hang in its accept queue instead of being refused.
        closeInheritedDescriptors(&actions)
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw CommandError(message: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
    }

    /// Everything the program printed so far (stdout and stderr together).
    public var output: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Waits until the output contains `text`, or fails after `timeout` seconds or when the program exits.
    public func waitForOutput(containing text: String, timeout: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.contains(text) { return }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw CommandError(message: "the program exited before printing \(text): \(output)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CommandError(message: "timed out waiting for \(text); output so far: \(output)")
    }

    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for the program to exit and returns its exit code (128 + signal when killed), polling so the
    /// calling task's thread is not blocked.
    public func waitForExit(timeout: Double = 60) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(pid, SIGKILL)
        throw CommandError(message: "the program did not exit within \(timeout) s; output: \(output)")
    }

    deinit {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        unlink(outputPath)
    }
}

/// The `syncline` executable built beside the test bundle, if it was built.
public func synclineExecutablePath() -> String? { builtExecutablePath("syncline") }

/// An executable of this package (`syncline`, `syncline-bench`) built beside the test bundle, if it was built.
public func builtExecutablePath(_ name: String) -> String? {
    let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [
        bundleDirectory.appendingPathComponent(name).path,
        bundleDirectory.deletingLastPathComponent().appendingPathComponent(name).path,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}
