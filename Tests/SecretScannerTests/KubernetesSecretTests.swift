import Credentials
@testable import SecretScanner
import TestSupport
import Testing

/// A Kubernetes Secret manifest's `data:` (base64) and `stringData:` values are secrets by the manifest's own
/// word: reported whatever their name, but for the names that hold none, and for placeholders and public material.
@Suite struct KubernetesSecretTests {
    private func base64(_ bytes: [UInt8]) -> String { Base64.encode(bytes) }

    private func found(_ text: String, path: String = "deploy/secret.yaml") throws -> [Finding] {
        try Engine.scan(text, path: path).filter { $0.ruleID.hasPrefix("kubernetes-secret") }
    }

    @Test func everySecretValueIsFoundDecoded() throws {
        let token = FakeKeys.alnum(32)
        var rng = FakeKeys.stream()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let manifests: [(String, String)] = [
            ("secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: billing\ntype: Opaque\ndata:\n  api-token: \(base64(Array(token.utf8)))\n"),
            // `kubectl get -o yaml` writes the keys in order: `data` before `kind`.
            ("secret.yaml", "apiVersion: v1\ndata:\n  api-token: \(base64(Array(token.utf8)))\nkind: Secret\nmetadata:\n  name: billing\n"),
            ("secret.json", #"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "billing"}, "data": {"api-token": "\#(base64(Array(token.utf8)))"}}"#),
            ("secret.yaml", "apiVersion: v1\nkind: Secret\nstringData:\n  api-token: \"\(token)\"\n"),
        ]
        for (path, text) in manifests {
            let hits = try found(text, path: path)
            #expect(hits.count == 1 && hits.first?.secret == token, "\(path): \(hits.map(\.secret))")
        }
        // A binary key stays as written (base64).
        let binary = try found("kind: Secret\ndata:\n  signing.key: \(base64(key))\n")
        #expect(binary.count == 1 && binary.first?.secret == base64(key) && binary.first?.extra["decoded"] == "base64")
    }

    @Test func aPasswordInASecretIsReportedDecoded() throws {
        let password = FakeKeys.alnum(10) + "#" + FakeKeys.alnum(6)
        let all = try Engine.scan("apiVersion: v1\nkind: Secret\ndata:\n  password: \(base64(Array(password.utf8)))\n", path: "secret.yaml")
        // One finding at the place, the Secret's rule's, with the password itself (not its base64 text).
        #expect(all.count == 1 && all.first?.ruleID == "kubernetes-secret-data" && all.first?.secret == password, "\(all.map(\.ruleID))")
    }

    @Test func aDummyInASecretIsNoRulesFindingAndATokenIsItsProviders() throws {
        // The base64 text of a dummy is not taken for a password by the password rules either.
        let dummy = try Engine.scan("apiVersion: v1\nkind: Secret\ndata:\n  password: \(base64(Array("password123".utf8)))\n", path: "secret.yaml")
        #expect(dummy.isEmpty, "\(dummy.map(\.ruleID))")
        // A provider's token hidden there is that provider's finding, found decoded.
        let token = FakeKeys.githubToken()
        let hidden = try Engine.scan("apiVersion: v1\nkind: Secret\ndata:\n  gh-token: \(base64(Array(token.utf8)))\n", path: "secret.yaml")
        #expect(hidden.count == 1 && hidden.first?.ruleID == "github-pat-classic" && hidden.first?.secret == token, "\(hidden.map(\.ruleID))")
    }

    @Test func namesWithoutSecretsPlaceholdersAndPublicMaterialAreNot() throws {
        let token = FakeKeys.alnum(32)
        let certificate = "-----BEGIN CERTIFICATE-----\nMIIB" + FakeKeys.alnum(40) + "\n-----END CERTIFICATE-----\n"
        let none: [String] = [
            // Not a Secret.
            "apiVersion: v1\nkind: ConfigMap\ndata:\n  api-token: \(base64(Array(token.utf8)))\n",
            // Names that hold no secret, a dummy, a reference, a certificate, text that is no base64.
            "kind: Secret\ndata:\n  username: \(base64(Array(token.utf8)))\n  host: \(base64(Array("db.internal.example".utf8)))\n",
            "kind: Secret\ndata:\n  password: \(base64(Array("password123".utf8)))\n",
            "kind: Secret\nstringData:\n  api-token: ${API_TOKEN}\n",
            "kind: Secret\ndata:\n  tls.pem: \(base64(Array(certificate.utf8)))\n",
            "kind: Secret\ndata:\n  api-token: not-base64-at-all-here\n",
            // A word that happens to decode to bytes (all lower case) is no key.
            "kind: Secret\ndata:\n  cluster-key: productionclusternamexyz\n",
            "kind: Secret\nstringData:\n  cluster-key: productionclusternamexyz\n",
        ]
        for text in none {
            #expect(try found(text).isEmpty, "\(text)")
        }
    }

    @Test func theValidatorJudgesWhatTheValueDecodesTo() {
        func verdict(_ s: String) -> Bool {
            if case .accept = Validators.run("kubernetes-secret-data", secret: s) { return true }
            return false
        }
        var rng = FakeKeys.stream()
        let key = (0..<24).map { _ in UInt8.random(in: 0...255, using: &rng) }
        #expect(verdict(base64(key)))
        #expect(verdict(base64(Array(FakeKeys.alnum(20).utf8))))
        #expect(!verdict(base64(Array("changeme".utf8))))
        #expect(!verdict(base64(Array(repeating: 0, count: 24))))
        #expect(!verdict(base64(Array("-----BEGIN PUBLIC KEY-----\nMFkw".utf8))))
        #expect(!verdict("short=="))
    }
}
