import Foundation
import Synchronization

/// Where commands write what the user reads. Standard output by default; tests bind a capture for a task.
public struct Console: Sendable {
    private let sink: @Sendable (String) -> Void

    public init(sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    /// Writes one line.
    public func line(_ text: String) {
        sink(text + "\n")
    }

    public static let standardOutput = Console { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    @TaskLocal public static var current: Console = .standardOutput
}

/// Collects console output in memory, for tests.
public final class ConsoleCapture: Sendable {
    private let buffer = Mutex("")

    public init() {}

    public var console: Console {
        Console { [self] text in self.buffer.withLock { $0 += text } }
    }

    public var text: String { buffer.withLock { $0 } }
}
