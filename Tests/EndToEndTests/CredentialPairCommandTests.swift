import Foundation
import Testing
import TestSupport

/// A Mindtickle API key and its secret key read as one credential through the real binary.
@Suite struct CredentialPairCommandTests {
    let cacheEnv = ["KEYWARDEN_CACHE_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-e2e-cache").path]

    /// The API key on line 3, the secret key on line 4; `allow` puts the marker on that line.
    static func config(_ api: String, _ secret: String, allowOn allow: Int? = nil) -> String {
        let lines = ["mindtickle:", "  ls_url: 'acme.mindtickle.com'", "  api_key: '\(api)'", "  secret_key: '\(secret)'"]
        return lines.enumerated().map { i, l in i + 1 == allow ? l + "  # keywarden:allow test fixture" : l }.joined(separator: "\n") + "\n"
    }

    @Test func aPairIsOneFindingThatSaysWhichLineHoldsWhich() throws {
        let dir = try TemporaryDirectory()
        let (api, secret) = FakeKeys.mindtickle()
        try dir.write("config/mindtickle.yml", Self.config(api, secret))
        let text = try Run.keywarden(["scan", "--no-git", dir.path("config")], environment: cacheEnv)
        #expect(text.status == 1)
        #expect(text.stdout.contains("mindtickle-key-pair"))
        #expect(text.stdout.contains("one credential: the API key on line 3, the secret key on line 4"))
        #expect(!text.stdout.contains(api) && !text.stdout.contains(secret))

        let json = try Run.keywarden(["scan", "--no-git", "--format", "json", dir.path("config")], environment: cacheEnv)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(findings.count == 1)
        let fingerprint = try #require(findings.first?["fingerprint"] as? String)

        // The pair's one fingerprint in the ignore file suppresses the pair.
        try dir.write("ignore", "\(fingerprint)  # test fixture\n")
        let ignored = try Run.keywarden(["scan", "--no-git", "--ignore-file", dir.path("ignore"), dir.path("config")], environment: cacheEnv)
        #expect(ignored.status == 0, "\(ignored.stdout)\(ignored.stderr)")
    }

    @Test func anAllowOnEitherLineAllowsThePair() throws {
        let (api, secret) = FakeKeys.mindtickle()
        for line in [3, 4] {
            let dir = try TemporaryDirectory()
            try dir.write("config/mindtickle.yml", Self.config(api, secret, allowOn: line))
            let run = try Run.keywarden(["scan", "--no-git", "--format", "json", dir.path("config")], environment: cacheEnv)
            #expect(run.status == 0, "allow on line \(line): \(run.stdout)")
        }
        // An allow on an unrelated line allows nothing.
        let dir = try TemporaryDirectory()
        try dir.write("config/mindtickle.yml", Self.config(api, secret, allowOn: 2))
        #expect(try Run.keywarden(["scan", "--no-git", dir.path("config")], environment: cacheEnv).status == 1)
    }

    @Test func anAllowedLoneHalfStaysAllowedAndAnUnallowedOneIsStillFound() throws {
        let (api, secret) = FakeKeys.mindtickle()
        let filler = String(repeating: "# unrelated\n", count: 12)
        let dir = try TemporaryDirectory()
        try dir.write("app.env", "MINDTICKLE_API_KEY=\(api)  # keywarden:allow test fixture\n" + filler + "MINDTICKLE_SECRET_KEY=\(secret)\n")
        let run = try Run.keywarden(["scan", "--no-git", "--format", "json", dir.path("app.env")], environment: cacheEnv)
        #expect(run.status == 1)
        #expect(run.stdout.contains("mindtickle-secret-key") && !run.stdout.contains("\"mindtickle-api-key\""))
    }
}
