import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion for test setup. It uses posix_spawn and waitpid rather than Foundation's
/// Process, whose exit detection was seen to hang here, and sends output to a temporary file, so a child that
/// leaves a daemon behind (pg_ctl start) cannot hold a pipe open.
public enum Command {
    /// The captured result of a finished program.
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
    }

    /// Runs a program and fails with its output when it exits non-zero.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> Result {
        let result = try capture(executable, arguments)
        guard result.status == 0 else {
            throw CommandError(
                message:
                    "\(executable) \(arguments.joined(separator: " ")) exited with \(result.status): \(result.output)"
            )
        }
        return result
    }

    /// Runs a program (looked up on PATH unless absolute) and returns its status and combined output.
    public static func capture(_ executable: String, _ arguments: [String]) throws -> Result {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("syncline-command-\(UUID().uuidString).log").path
        defer { unlink(outputPath) }

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

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw CommandError(message: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw CommandError(message: "lost track of \(executable)") }
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exitCode: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exitCode, output: output)
    }
}

/// A setup program that failed, with what it printed.
public struct CommandError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
