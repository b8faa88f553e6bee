/// The allowed moves between connection statuses and setup steps, written down once and enforced by the API
/// and the engine alike (docs/api.md shows the same table).
extension ConnectionStatus {
    /// `setup_incomplete` → active, disconnected; `active` → paused, error, disconnected; `paused` → active,
    /// disconnected; `error` → active, paused, disconnected; `disconnected` → setup_incomplete, active.
    /// Staying in the same status is always allowed (a repeated pause is not an error).
    public func canMove(to next: ConnectionStatus) -> Bool {
        if next == self { return true }
        return switch (self, next) {
        case (.setupIncomplete, .active), (.setupIncomplete, .disconnected): true
        case (.active, .paused), (.active, .error), (.active, .disconnected): true
        case (.paused, .active), (.paused, .disconnected): true
        case (.error, .active), (.error, .paused), (.error, .disconnected): true
        case (.disconnected, .setupIncomplete), (.disconnected, .active): true
        default: false
        }
    }
}

extension SetupStep {
    /// The order the wizard walks through.
    public var position: Int {
        switch self {
        case .notStarted: 0
        case .connection: 1
        case .mapping: 2
        case .syncConfig: 3
        case .completed: 4
        }
    }

    /// Forward one step at a time, or back to any earlier step; `completed` is reached only from `sync_config`.
    public func canMove(to next: SetupStep) -> Bool {
        next.position <= position || next.position == position + 1
    }
}

/// A refused move, with the words a caller needs.
public struct ConnectionTransitionError: Error, Sendable, Hashable {
    public var message: String

    public init(from: ConnectionStatus, to: ConnectionStatus) {
        message = "a connection that is \(from.rawValue) cannot become \(to.rawValue)"
    }

    public init(from: SetupStep, to: SetupStep) {
        message = "the setup step cannot move from \(from.rawValue) to \(to.rawValue): go forward one step at a time"
    }
}
