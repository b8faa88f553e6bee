import Foundation
import SynclineCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The key ring kept in the data directory when `SYNCLINE_MASTER_KEY` is not set: JSON, mode 0600,
/// created on first start, rewritten atomically when a key is added by rotation.
public struct KeyFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    private struct Contents: Codable {
        var version: Int
        var active: String
        var keys: [Entry]
        struct Entry: Codable {
            var id: String
            var key: String
            var createdAt: Double
        }
    }

    /// Reads the ring, creating the file with one new key if it does not exist.
    public func loadOrCreate(now: Date = Date()) throws -> KeyRing {
        if FileManager.default.fileExists(atPath: path) {
            return try load()
        }
        let key = MasterKey.generate()
        let contents = Contents(
            version: 1,
            active: key.id,
            keys: [.init(id: key.id, key: key.base64, createdAt: now.timeIntervalSince1970)]
        )
        try write(contents, exclusive: true)
        return KeyRing(active: key)
    }

    /// Reads the ring; a missing, unreadable or malformed file is a clear error naming the path.
    public func load() throws -> KeyRing {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw StoreError(.keyMissing, "cannot read the key file \(path): \(Database.reason(error))")
        }
        let contents: Contents
        do {
            contents = try JSONDecoder().decode(Contents.self, from: data)
        } catch {
            throw StoreError(.invalidConfiguration, "the key file \(path) is not a Syncline key file")
        }
        var keys: [MasterKey] = []
        for entry in contents.keys {
            let key = try MasterKey(base64: entry.key, source: "key \(entry.id) in \(path)")
            guard key.id == entry.id else {
                throw StoreError(.invalidConfiguration, "key \(entry.id) in \(path) does not match its id")
            }
            keys.append(key)
        }
        guard let active = keys.first(where: { $0.id == contents.active }) else {
            throw StoreError(
                .keyMissing,
                "the key file \(path) names active key \(contents.active) but does not hold it"
            )
        }
        return KeyRing(active: active, others: keys)
    }

    /// Adds a new key and makes it the active one, keeping the old keys so existing ciphertexts still open.
    public func addActiveKey(now: Date = Date()) throws -> KeyRing {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var contents = try JSONDecoder().decode(Contents.self, from: data)
        let key = MasterKey.generate()
        contents.keys.append(.init(id: key.id, key: key.base64, createdAt: now.timeIntervalSince1970))
        contents.active = key.id
        try write(contents, exclusive: false)
        return try load()
    }

    /// When the file last changed, so a running process notices a rotation and reloads.
    func modificationDate() -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// Writes with mode 0600 from the start (no window where the key is world-readable): to the path itself
    /// when creating (`O_EXCL`, so two first starts cannot both create a key), else to a temporary file that
    /// is then renamed over the old one.
    private func write(_ contents: Contents, exclusive: Bool) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(contents)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.invalidConfiguration, "cannot create the directory \(directory) for the key file")
        }
        let target = exclusive ? path : path + ".tmp-\(getpid())"
        let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(
                .invalidConfiguration,
                "cannot create the key file \(target): \(String(cString: strerror(errno)))"
            )
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            unlink(target)
            throw StoreError(.invalidConfiguration, "cannot write the key file \(target): \(Database.reason(error))")
        }
        if !exclusive {
            guard rename(target, path) == 0 else {
                unlink(target)
                throw StoreError(.invalidConfiguration, "cannot replace the key file \(path)")
            }
        }
    }
}
