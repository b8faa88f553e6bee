import Foundation
import SQLKit
import SynclineCore
import SynclineStore
import SynclineTestSupport
import Testing

@Suite("Credential encryption at rest")
struct CredentialEncryptionTests {
    /// Creates a tenant and a connection, and stores `secrets` for it.
    private func seed(_ store: SQLStore, secrets: CredentialSecrets) async throws -> Connection {
        let tenant = try await store.tenants.create(name: "Acme")
        let connection = ConformanceCheck.makeConnection(tenant: tenant)
        try await store.connections.create(connection)
        try await store.credentials.save(secrets, connectionID: connection.id, tenantID: tenant.id)
        return connection
    }

    private static func uniqueSecret() -> String { "sEcReT-\(UUID().uuidString)" }

    @Test("the secret never reaches the bytes of the SQLite file or its WAL")
    func sqliteFileHoldsNoPlaintext() async throws {
        let secret = Self.uniqueSecret()
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("syncline.sqlite").path
            let cipher = CredentialCipher(ring: KeyRing(active: MasterKey.generate()))
            let connection = try await SQLStore.with(
                .sqliteFile(path: path),
                cipher: cipher,
                logger: StoreBackend.logger
            ) {
                store in
                try await store.migrator.migrate()
                let connection = try await seed(store, secrets: ["client_secret": secret])
                #expect(
                    try await store.credentials.load(connectionID: connection.id, tenantID: connection.tenantID)?[
                        "client_secret"
                    ] == secret
                )
                // Read the files while the database is still open too, WAL not yet checkpointed.
                #expect(try !filesContain(directory, secret))
                return connection
            }
            #expect(try !filesContain(directory, secret))
            #expect(try filesContain(directory, connection.id), "the scan must see the database's contents")
        }
    }

    @Test("the secret never appears in the PostgreSQL row", postgresAvailable)
    func postgresRowHoldsNoPlaintext() async throws {
        let secret = Self.uniqueSecret()
        try await StoreBackend.postgres.withStore { store, _ in
            let connection = try await seed(store, secrets: ["client_secret": secret])
            let rows = try await store.database.withConnection { db in
                try await db.raw("SELECT row_to_json(c)::text AS row FROM credentials c").all()
                    .map { try $0.decode(column: "row", as: String.self) }
            }
            #expect(rows.count == 1)
            #expect(rows.first?.contains(connection.id) == true)
            #expect(rows.first?.contains(secret) == false)
            #expect(rows.first?.contains(Data(secret.utf8).base64EncodedString()) == false)
        }
    }

    @Test(
        "rotating the key file re-encrypts every credential, readable with the new key alone",
        arguments: StoreBackend.allCases
    )
    func rotationWithKeyFile(_ backend: StoreBackend) async throws {
        try await skipUnlessAvailable(backend)
        try await withTemporaryDirectory { directory in
            let keyFile = KeyFile(path: directory.appendingPathComponent("master.key").path)
            let cipher = try CredentialCipher(keyFile: keyFile)
            let oldKey = cipher.ring.active.id
            try await backend.withStore(cipher: cipher) { store, location in
                let secrets: CredentialSecrets = ["client_secret": "before-rotation"]
                let connection = try await seed(store, secrets: secrets)
                let newRing = try keyFile.addActiveKey()
                #expect(newRing.active.id != oldKey)

                let report = try await store.credentials.reencryptAll()
                #expect(report.reencrypted == 1)
                #expect(report.activeKeyID == newRing.active.id)
                #expect(try await keyIDs(store) == [newRing.active.id])
                #expect(
                    try await store.credentials.load(connectionID: connection.id, tenantID: connection.tenantID)
                        == secrets
                )

                let again = try await store.credentials.reencryptAll()
                #expect(again.reencrypted == 0)
                #expect(again.alreadyCurrent == 1)

                // A process that only has the new key reads it; one that only has the old key is told which key it lacks.
                let newOnly = SQLStore(
                    database: store.database,
                    cipher: CredentialCipher(ring: KeyRing(active: newRing.active))
                )
                #expect(
                    try await newOnly.credentials.load(connectionID: connection.id, tenantID: connection.tenantID)
                        == secrets
                )
                let oldRing = KeyRing(active: try #require(newRing.key(id: oldKey)))
                let oldOnly = SQLStore(database: store.database, cipher: CredentialCipher(ring: oldRing))
                let error = await #expect(throws: StoreError.self) {
                    try await oldOnly.credentials.load(connectionID: connection.id, tenantID: connection.tenantID)
                }
                #expect(error?.code == .keyMissing)
                #expect(error?.message.contains(newRing.active.id) == true)
                _ = location
            }
        }
    }

    @Test("rotating to a key from the environment keeps the previous key for reading only")
    func rotationWithEnvironmentKeys() async throws {
        let old = MasterKey.generate()
        let new = MasterKey.generate()
        try await StoreBackend.sqliteMemory.withStore(cipher: CredentialCipher(ring: KeyRing(active: old))) {
            store,
            _ in
            let connection = try await seed(store, secrets: ["token": "t"])
            let rotated = SQLStore(
                database: store.database,
                cipher: CredentialCipher(ring: KeyRing(active: new, others: [old]))
            )
            #expect(
                try await rotated.credentials.load(connectionID: connection.id, tenantID: connection.tenantID) == [
                    "token": "t"
                ]
            )
            let report = try await rotated.credentials.reencryptAll()
            #expect(report.reencrypted == 1)
            #expect(try await keyIDs(store) == [new.id])
        }
    }

    @Test("a missing key is a clear error naming the key id")
    func missingKey() async throws {
        let original = MasterKey.generate()
        try await StoreBackend.sqliteMemory.withStore(cipher: CredentialCipher(ring: KeyRing(active: original))) {
            store,
            _ in
            let connection = try await seed(store, secrets: ["token": "t"])
            let other = SQLStore(
                database: store.database,
                cipher: CredentialCipher(ring: KeyRing(active: MasterKey.generate()))
            )
            let error = await #expect(throws: StoreError.self) {
                try await other.credentials.load(connectionID: connection.id, tenantID: connection.tenantID)
            }
            #expect(error?.code == .keyMissing)
            #expect(error?.message.contains(original.id) == true)
            #expect(error?.message.contains(connection.id) == true)
        }
    }

    @Test("altered or moved ciphertext is refused, never returned as garbage")
    func tamperedCiphertext() async throws {
        try await StoreBackend.sqliteMemory.withStore { store, _ in
            let connection = try await seed(store, secrets: ["token": "t"])
            let second = ConformanceCheck.makeConnection(
                tenant: try #require(try await store.tenants.find(name: "Acme")),
                name: "Second"
            )
            try await store.connections.create(second)
            // Move the first connection's ciphertext onto the second.
            try await store.database.withConnection { db in
                try await db.raw(
                    """
                    INSERT INTO credentials (connection_id, tenant_id, key_id, ciphertext, created_at, updated_at)
                    SELECT \(bind: second.id), tenant_id, key_id, ciphertext, created_at, updated_at
                    FROM credentials WHERE connection_id = \(bind: connection.id)
                    """
                ).run()
            }
            let moved = await #expect(throws: StoreError.self) {
                try await store.credentials.load(connectionID: second.id, tenantID: second.tenantID)
            }
            #expect(moved?.code == .decryptionFailed)

            // Flip one character of the stored ciphertext.
            try await store.database.withConnection { db in
                let row = try #require(
                    try await db.raw("SELECT ciphertext FROM credentials WHERE connection_id = \(bind: connection.id)")
                        .first()
                )
                var text = Array(try row.decode(column: "ciphertext", as: String.self))
                text[20] = text[20] == "A" ? "B" : "A"
                try await db.raw(
                    "UPDATE credentials SET ciphertext = \(bind: String(text)) WHERE connection_id = \(bind: connection.id)"
                )
                .run()
            }
            let tampered = await #expect(throws: StoreError.self) {
                try await store.credentials.load(connectionID: connection.id, tenantID: connection.tenantID)
            }
            #expect(tampered?.code == .decryptionFailed)
            #expect(tampered?.message.contains(connection.id) == true)
        }
    }

    @Test("the key file is created once with mode 0600, and a rotation by another process is picked up")
    func keyFileLifecycle() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("keys/master.key").path
            let keyFile = KeyFile(path: path)
            let first = try keyFile.loadOrCreate()
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect(try keyFile.loadOrCreate().active.id == first.active.id)

            let cipher = try CredentialCipher(keyFile: keyFile)
            let sealedBefore = try cipher.seal(Data("x".utf8), context: "c")
            #expect(sealedBefore.keyID == first.active.id)

            let rotated = try KeyFile(path: path).addActiveKey()
            #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
            let sealedAfter = try cipher.seal(Data("x".utf8), context: "c")
            #expect(sealedAfter.keyID == rotated.active.id)
            #expect(try cipher.open(sealedBefore, context: "c", subject: "test") == Data("x".utf8))
        }
    }

    @Test("master keys must be 32 bytes of base64")
    func masterKeyValidation() throws {
        let notBase64 = #expect(throws: StoreError.self) {
            try MasterKey(base64: "not base64!", source: "SYNCLINE_MASTER_KEY")
        }
        #expect(notBase64?.message.contains("SYNCLINE_MASTER_KEY") == true)
        let short = #expect(throws: StoreError.self) {
            try MasterKey(base64: Data(repeating: 1, count: 16).base64EncodedString(), source: "SYNCLINE_MASTER_KEY")
        }
        #expect(short?.message.contains("32 bytes") == true)
        let material = Data(repeating: 7, count: 32)
        #expect(
            try MasterKey(material: material).id == MasterKey(base64: material.base64EncodedString(), source: "x").id
        )
        #expect(try MasterKey(material: material).id != MasterKey.generate().id)
    }

    private func keyIDs(_ store: SQLStore) async throws -> [String] {
        try await store.database.withConnection { db in
            try await db.raw("SELECT DISTINCT key_id FROM credentials").all().map {
                try $0.decode(column: "key_id", as: String.self)
            }
        }
    }

    /// Whether any file in `directory` contains `needle` as raw bytes.
    private func filesContain(_ directory: URL, _ needle: String) throws -> Bool {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        #expect(files.contains { $0.lastPathComponent == "syncline.sqlite" })
        return try files.contains { file in
            try Data(contentsOf: file).range(of: Data(needle.utf8)) != nil
        }
    }
}
