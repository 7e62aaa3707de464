import Foundation
import KeyAge
import Testing
import TestSupport

/// `keywarden keys import` and `keys add` without `--provider`: recognition with the scanner's rules,
/// through the built binary.
@Suite struct KeysImportCommandTests {
    let dir: TemporaryDirectory
    let ledger: String
    let env: [String: String]

    init() throws {
        dir = try TemporaryDirectory()
        ledger = dir.path(".keywarden/keys.toml")
        env = ["KEYWARDEN_TODAY": "2026-11-23",
               "KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]
    }

    @discardableResult
    func keys(_ args: [String], stdin: String? = nil, extraEnv: [String: String] = [:]) throws -> ProcessResult {
        try Run.keywarden(["keys"] + args + ["--ledger", ledger], in: dir.path(), stdin: stdin, environment: env.merging(extraEnv) { $1 })
    }

    /// Secrets of several providers (assembled at run time) and plain settings.
    struct Values {
        let mx = FakeKeys.maintainX(issuedAt: 1_754_006_400)   // 2025-08-01
        let mt = FakeKeys.mindtickle()
        let stripe = FakeKeys.join("sk_", "live_", FakeKeys.alnum(24))
        var all: [String] { [mx, mt.apiKey, mt.secretKey, stripe] }
    }

    @Test func importsADotenvFileByTheScannersRules() throws {
        let v = Values()
        try dir.write("prod.env", """
            # production
            MAINTAINX_API_KEY=\(v.mx)
            MINDTICKLE_API_KEY=\(v.mt.apiKey)
            MINDTICKLE_SECRET_KEY="\(v.mt.secretKey)"
            export PAYMENTS_KEY=\(v.stripe)
            DEBUG=true
            PORT=8080

            """)
        // Without --yes (and no terminal to ask on): nothing is written.
        let asked = try keys(["import", "prod.env", "--env", "prod", "--owner", "ops"])
        #expect(asked.status == 2)
        #expect(asked.stderr.contains("run again with --yes"))
        #expect(asked.stdout.contains("+ maintainx-api-key-prod  maintainx  prod  created 2025-08-01"))
        #expect(!FileManager.default.fileExists(atPath: ledger))

        let added = try keys(["import", "prod.env", "--env", "prod", "--owner", "ops", "--yes"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("Added 3 keys"))
        #expect(added.stdout.contains("not recognised as a provider's credential: DEBUG, PORT"))
        let l = try KeyLedger.load(path: ledger)
        #expect(l.keys.map(\.id).sorted() == ["maintainx-api-key-prod", "mindtickle-api-key-prod", "payments-key-prod"])
        #expect(l.key(id: "maintainx-api-key-prod")?.provider == "maintainx")
        #expect(l.key(id: "maintainx-api-key-prod")?.created.description == "2025-08-01")
        #expect(l.key(id: "mindtickle-api-key-prod")?.provider == "mindtickle")
        #expect(l.key(id: "mindtickle-api-key-prod")?.note?.contains("MINDTICKLE_API_KEY + MINDTICKLE_SECRET_KEY") == true)
        #expect(l.key(id: "payments-key-prod")?.provider == "stripe")
        #expect(l.keys.allSatisfy { $0.owner == "ops" && $0.environment == "prod" && $0.fingerprint != nil })
        let text = try String(contentsOfFile: ledger, encoding: .utf8)
        for secret in v.all {
            #expect(!text.contains(secret) && !added.stdout.contains(secret) && !added.stderr.contains(secret))
        }
        // The fingerprints are the scanner's: a scan of the file names the tracked keys.
        let scan = try Run.keywarden(["scan", "--no-git", "--ledger", ledger, "prod.env"], in: dir.path(), environment: env)
        #expect(scan.status == 1)
        for id in ["maintainx-api-key-prod", "mindtickle-api-key-prod", "payments-key-prod"] {
            #expect(scan.stdout.contains("tracked key \(id)"), "\(id)")
        }
        // Importing again adds nothing.
        let again = try keys(["import", "prod.env", "--env", "prod", "--yes"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("already tracked as maintainx-api-key-prod"))
        #expect(again.stdout.contains("Nothing to add."))
    }

    @Test func importsAKubernetesSecretAndAPropertiesFile() throws {
        let v = Values()
        func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
        try dir.write("secret.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: app
            type: Opaque
            data:
              MAINTAINX_API_KEY: \(b64(v.mx))
              LOG_LEVEL: \(b64("debug"))
            stringData:
              STRIPE_SECRET_KEY: "\(v.stripe)"

            """)
        let k8s = try keys(["import", "secret.yaml", "--env", "staging", "--yes"])
        #expect(k8s.status == 0, "\(k8s.stderr)")
        #expect(k8s.stdout.contains("(Kubernetes Secret)"))
        #expect(try KeyLedger.load(path: ledger).keys.map(\.id).sorted() == ["maintainx-api-key-staging", "stripe-secret-key-staging"])

        try dir.write("app.properties", "# dev\nmindtickle.api.key = \(v.mt.apiKey)\nmindtickle.secret.key: \(v.mt.secretKey)\nserver.port 8080\n")
        let props = try keys(["import", "app.properties", "--env", "dev", "--yes"])
        #expect(props.status == 0, "\(props.stderr)")
        #expect(props.stdout.contains("(properties)"))
        let l = try KeyLedger.load(path: ledger)
        #expect(l.key(id: "mindtickle-api-key-dev")?.provider == "mindtickle")
        #expect(l.keys.count == 3)

        try dir.write("bad.yaml", "kind: Secret\ndata:\n  TOKEN: not*base64\n")
        let bad = try keys(["import", "bad.yaml", "--env", "dev", "--yes"])
        #expect(bad.status == 2 && bad.stderr.contains("bad.yaml: line 3: the data value of TOKEN is not base64"))
        let missing = try keys(["import", "nope.env", "--env", "dev", "--yes"])
        #expect(missing.status == 2 && missing.stderr.contains("nope.env: cannot read"))
    }

    @Test func addWithoutProviderUsesTheScannersRules() throws {
        let v = Values()
        let mt = try keys(["add", "mt-prod", "--env", "prod", "--from-env", "MINDTICKLE_API_KEY"], extraEnv: ["MINDTICKLE_API_KEY": v.mt.apiKey])
        #expect(mt.status == 0, "\(mt.stderr)")
        #expect(mt.stdout.contains("Added mt-prod (mindtickle, prod)"))
        let stripe = try keys(["add", "pay-prod", "--env", "prod", "--stdin"], stdin: v.stripe + "\n")
        #expect(stripe.status == 0, "\(stripe.stderr)")
        #expect(stripe.stdout.contains("Added pay-prod (stripe, prod)"))
        let unknown = try keys(["add", "x", "--env", "prod", "--stdin"], stdin: FakeKeys.alnum(30))
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("the scanner's rules do not recognise this key's provider"))
        for secret in v.all { #expect(!mt.stdout.contains(secret) && !stripe.stdout.contains(secret)) }
    }
}
