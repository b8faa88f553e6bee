/// SynclineProviders will hold the provider runtime: YAML definitions and their loader, auth strategies,
/// paginators, record extraction, write operations, webhook verifiers and the rate-limit-aware HTTP client.
public enum SynclineProviders {}
