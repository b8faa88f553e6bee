import Foundation

/// Every provider this server knows: the bundled definitions, plus (overriding them by slug) the files in an
/// operator's directory (`SYNCLINE_PROVIDERS_DIR`).
public struct ProviderCatalog: Sendable {
    /// Sorted by slug.
    public let providers: [ProviderDefinition]

    public init(providers: [ProviderDefinition]) {
        self.providers = providers.sorted { $0.slug < $1.slug }
    }

    public func provider(slug: String) -> ProviderDefinition? {
        providers.first { $0.slug == slug }
    }

    /// The bundled definitions plus those in `directory`, if given.
    public static func load(extraDirectory directory: String? = nil) throws(ProviderFileError) -> ProviderCatalog {
        var bySlug: [String: ProviderDefinition] = [:]
        for definition in try bundled() { bySlug[definition.slug] = definition }
        if let directory {
            for definition in try definitions(inDirectory: directory) { bySlug[definition.slug] = definition }
        }
        return ProviderCatalog(providers: Array(bySlug.values))
    }

    /// The definitions shipped inside Syncline.
    public static func bundled() throws(ProviderFileError) -> [ProviderDefinition] {
        guard let url = Bundle.module.url(forResource: "Providers", withExtension: nil) else { return [] }
        return try definitions(
            inDirectory: url.path,
            label: { "bundled:" + URL(fileURLWithPath: $0).lastPathComponent }
        )
    }

    /// Every `*.yaml` / `*.yml` file of a directory; two files with one slug are an error naming both.
    /// `label` turns a file's path into the name its errors show.
    public static func definitions(
        inDirectory directory: String,
        label: (String) -> String = { $0 }
    ) throws(ProviderFileError) -> [ProviderDefinition] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ProviderFileError(file: directory, line: 0, column: 0, message: "cannot read the providers directory")
        }
        var definitions: [ProviderDefinition] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            let definition = try load(file: path, label: label(path))
            if let other = definitions.first(where: { $0.slug == definition.slug }) {
                throw ProviderFileError(
                    file: definition.source,
                    line: 1,
                    column: 1,
                    message: "the slug '\(definition.slug)' is already declared by \(other.source)"
                )
            }
            definitions.append(definition)
        }
        return definitions
    }

    /// Reads and validates one provider file.
    public static func load(file path: String, label: String? = nil) throws(ProviderFileError) -> ProviderDefinition {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ProviderFileError(file: label ?? path, line: 0, column: 0, message: "cannot read the file")
        }
        return try ProviderDefinition.parse(yaml: text, file: label ?? path)
    }
}
