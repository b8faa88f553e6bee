/// SynclineEngine will hold the scheduler, the worker pool and the token refresher (each a Service), the job
/// handlers and the sync runner. It speaks to storage and providers only through SynclineCore's ports.
public enum SynclineEngine {}
