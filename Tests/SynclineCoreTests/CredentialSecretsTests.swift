import SynclineCore
import Testing

@Suite("Credential secrets")
struct CredentialSecretsTests {
    @Test("descriptions name the fields and never show the values")
    func redacted() {
        let secrets: CredentialSecrets = ["client_secret": "hunter2", "client_id": "abc"]
        for text in [String(describing: secrets), String(reflecting: secrets), "\(secrets)"] {
            #expect(!text.contains("hunter2"))
            #expect(!text.contains("abc\""))
            #expect(text.contains("client_id, client_secret"))
        }
        #expect(secrets.fieldNames == ["client_id", "client_secret"])
        #expect(secrets["client_secret"] == "hunter2")
    }
}
