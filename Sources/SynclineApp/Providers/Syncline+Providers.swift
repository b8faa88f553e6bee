import SynclineProviders

/// The provider catalog as the operator configured it.
extension Syncline {
    /// The bundled providers plus those in the configured providers directory.
    public static func providerCatalog(_ configuration: SynclineConfiguration) throws -> ProviderCatalog {
        try ProviderCatalog.load(extraDirectory: configuration.providersDirectory)
    }

    /// Reads and checks one provider file, as `syncline providers validate` does.
    public static func validateProviderFile(_ path: String) throws -> ProviderDefinition {
        try ProviderCatalog.load(file: path)
    }
}
