@testable import SecretScanner
import TestSupport
import Testing

/// Short gate words of the named-value rules count only where a word starts, so that a provider called
/// `een` or `chec` does not send every file holding "between" or "check" through the named-value layer.
@Suite struct GateWordTests {
    func starts(_ text: String, _ word: String) -> Bool {
        let bytes = Array(text.utf8), w = Array(word.utf8)
        let at = (0...(bytes.count - w.count)).first { Array(bytes[$0..<($0 + w.count)]) == w }!
        return bytes.withUnsafeBytes { BufferScanner.startsWord($0, at: at) }
    }

    @Test func aWordStartsAtTheTextsStartAfterPunctuationOrAtACamelCaseHump() {
        #expect(starts("een_api_key=1", "een"))
        #expect(starts("EEN_API_KEY=1", "EEN"))
        #expect(starts("config.een.token", "een"))
        #expect(starts("myEenKey", "Een"))
        #expect(starts("2een", "een"))
    }

    @Test func aWordInsideAnotherDoesNotStart() {
        #expect(!starts("between", "een"))
        #expect(!starts("BETWEEN", "EEN"))
        #expect(!starts("precheck", "chec"))
        #expect(!starts("myeenkey", "een"))
    }

    func near(_ text: String, _ word: String) -> Bool {
        let bytes = Array(text.utf8), w = Array(word.utf8)
        let at = (0...(bytes.count - w.count)).first { Array(bytes[$0..<($0 + w.count)]) == w }!
        return bytes.withUnsafeBytes { BufferScanner.secretWordNear($0, start: at, end: at + w.count) }
    }

    /// A vendor's name that is a common word (semaphore, linear) gates the named-value rules only with a
    /// secret word near it, in any case and on a neighbouring line.
    @Test func aVendorWordCountsWithASecretWordNearIt() {
        #expect(near("SEMAPHORE_API_TOKEN=1", "SEMAPHORE"))
        #expect(near("semaphore:\n  token: 1", "semaphore"))
        #expect(near("# Linear\nLINEAR_KEY=1", "Linear"))
        #expect(near("linearSecret = 1", "linear"))
        #expect(!near("let semaphore = DispatchSemaphore(value: 0)\nsemaphore.wait()", "semaphore"))
        let far = "linear interpolation" + String(repeating: " ", count: BufferScanner.secretWordReach + 40) + "api_key = 1"
        #expect(!near(far, "linear"))
        // The reach is counted in bytes from the vendor word to the secret word's last byte, on either side.
        let reach = BufferScanner.secretWordReach
        #expect(near("linear" + String(repeating: " ", count: reach - 3) + "KEY", "linear"))
        #expect(!near("linear" + String(repeating: " ", count: reach - 2) + "KEY", "linear"))
        #expect(near("Token" + String(repeating: " ", count: reach - 5) + "linear", "linear"))
        #expect(!near("Token" + String(repeating: " ", count: reach - 4) + "linear", "linear"))
    }
}

/// A vendor word whose rules all want the vendor in the value's key path (GitHub's 40-hex client secrets)
/// opens the named-value layer only where it is part of a name: READMEs full of github.com links are not read.
@Suite struct NameScopedGateTests {
    func gateHit(_ text: String, path: String, word: String) throws -> Bool {
        let scanner = BufferScanner(Engine.builtIn.rules, fingerprinter: Engine.builtIn.fingerprinter)
        // The word's own conditions: the values here are placeholders, which the value probe would close the
        // gate for (ValueProbeTests).
        scanner.probesValues = false
        let g = try #require(scanner.compiled.gateWords.firstIndex(of: Array(word.utf8)))
        _ = try Array(text.utf8).withUnsafeBytes { try scanner.scan($0, InputContext(path: path)) }
        return scanner.gateHits[g]
    }

    @Test func theGateOpensForTheWordInANameOnly() throws {
        let scanner = BufferScanner(Engine.builtIn.rules, fingerprinter: Engine.builtIn.fingerprinter)
        let github = try #require(scanner.compiled.gateWords.firstIndex(of: Array("github".utf8)))
        #expect(scanner.gateNeedsName[github])
        #expect(!scanner.gateNeedsName.indices.contains { scanner.gateNeedsName[$0] && scanner.gateNeedsAssignment[$0] })
        let prose = "Clone https://github.com/acme/app and set your token in the settings.\n"
        #expect(try !gateHit(prose, path: "README.md", word: "github"))
        #expect(try gateHit("GITHUB_CLIENT_SECRET=x\n", path: "app.env", word: "github"))
        #expect(try gateHit("github:\n  oauth:\n    client_secret: x\n", path: "config.yml", word: "github"))
        #expect(try gateHit("{\"github\": {\"token\": \"x\"}}", path: "config.json", word: "github"))
        #expect(try gateHit("[github]\ntoken = x\n", path: "config.ini", word: "github"))
        #expect(try gateHit("<github><token>x</token></github>", path: "config.xml", word: "github"))
        // Prose that punctuates the name, Markdown links and workflow expressions are not names.
        #expect(try !gateHit("Hosted on GitHub, with the token in the settings.\nSee GitHub.\n", path: "README.md", word: "github"))
        #expect(try !gateHit("[GitHub](https://example.invalid) keeps the secret.\n", path: "README.md", word: "github"))
        #expect(try !gateHit("run: echo ${{ github.token }} secret\n", path: "ci.yml", word: "github"))
        // Notes and logs name a value with words before its label, with no operator after the vendor's name.
        #expect(try gateHit("github token - x\n", path: "notes.txt", word: "github"))
    }

    /// A scanner keeps the gate words of the buffer it scans last only, listed as they are marked.
    @Test func theGateWordsOfOneBufferDoNotCarryOverToTheNext() throws {
        let scanner = BufferScanner(Engine.builtIn.rules, fingerprinter: Engine.builtIn.fingerprinter)
        scanner.probesValues = false
        func scan(_ text: String) throws { _ = try Array(text.utf8).withUnsafeBytes { try scanner.scan($0, InputContext(path: "app.env")) } }
        func marked() -> [Int] { scanner.gateHits.indices.filter { scanner.gateHits[$0] } }
        try scan("GITHUB_CLIENT_SECRET=x\nCOLUMN_API_KEY=y\n")
        #expect(marked().count >= 2 && scanner.hitGates.sorted() == marked())
        try scan("PORT=8080\n")
        #expect(marked().isEmpty && scanner.hitGates.isEmpty)
    }

    /// A pattern finding learns the name it is assigned to whether or not any named-value rule read the file.
    @Test func aPatternFindingLearnsItsNameWithoutTheNamedLayer() throws {
        let token = FakeKeys.githubToken()
        let found = try Engine.scan("struct Deploy {\n    let upstream = \"\(token)\"\n}\n", path: "Sources/Deploy.swift")
        let f = try #require(found.first { $0.secret == token })
        #expect(f.extra["name"] == "Deploy.upstream")
    }
}

/// The vendor-less rules' gate words (password words, `secret_key`) count only where they name a value: prose
/// and code that merely mention them do not send the file through the named-value layer.
@Suite struct NamedGateShapeTests {
    func at(_ text: String, _ word: String, _ body: (UnsafeRawBufferPointer, Int, Int) -> Bool) -> Bool {
        // (The word is looked up in any case, as the prefilter finds gate words.)
        let bytes = Array(text.utf8), lower = Array(text.lowercased().utf8), w = Array(word.lowercased().utf8)
        let start = (0...(bytes.count - w.count)).first { Array(lower[$0..<($0 + w.count)]) == w }!
        return bytes.withUnsafeBytes { body($0, start, start + w.count) }
    }
    func namesAValue(_ text: String, _ word: String) -> Bool { at(text, word) { b, s, _ in BufferScanner.namesAValue(b, start: s) } }

    @Test(arguments: [
        ("pass = \"x\"", "pass "), ("\"password\": \"x\"", "passw"), ("os.getenv(\"DB_PASS\", \"x\")", "_pass"),
        ("<password>x</password>", "passw"), ("<key>password</key>", "passw"), ("{\\\"password\\\": 1}", "passw"),
        ("- name: DB_PASSWORD\n  value: x", "_pass"), ("<add key=\"DbPassword\" value=\"x\" />", "Passw"),
        ("process.env.DB_PASSWORD || \"x\"", "_PASS"), ("password := \"x\"", "passw"), ("PASSWORD ?= x", "PASSW"),
        ("spring.datasource.password=x", ".pass"), ("password", "passw"),
        ("const dbPassword string = \"x\"", "Passw"), ("var DB_PASS\tstring = x", "_PASS"),
        ("static const char DB_PASSWORD[] = \"x\";", "_PASS"), ("Dim dbPassword As String = \"x\"", "Passw"),
        ("variable \"db_password\" {", "_passw"),
    ])
    func aNameFollowedByItsValueCounts(text: String, word: String) {
        #expect(namesAValue(text, word), "\(text)")
    }

    @Test(arguments: [
        ("// first pass over the data", "pass "), ("we bypass the cache", "pass "), ("cd \"$(pwd)\"", "pwd"),
        ("throw ERR_R_PASSED_NULL_PARAMETER)", "_PASS"), ("conn.setPassword(value)", "Passw"),
        ("typedef int pem_password_cb *cb;", "_passw"), ("Enter your password to continue", "passw"),
        ("func login(password string) error {", "passw"), ("if password string == x {", "passw"),
        ("type Config struct { Password string `json:\"p\"` }", "Passw"), ("password stringent = 1", "passw"),
        ("if passwords[i] == x {", "passw"), ("Dim password As New Prompt()", "passw"),
    ])
    func proseAndCallsDoNotCount(text: String, word: String) {
        #expect(!namesAValue(text, word), "\(text)")
    }

    func namesAValueStrictly(_ text: String, _ word: String) -> Bool {
        at(text, word) { b, s, _ in BufferScanner.namesAValueStrictly(b, start: s) }
    }

    /// A vendor's name counts where it is part of a name given a value, in every syntax that gives one.
    @Test(arguments: [
        ("GITHUB_TOKEN=x", "GITHUB"), ("\"github\": {", "github"), ("<github>", "github"),
        ("const githubToken string = \"x\"", "github"), ("Dim githubToken As String = \"x\"", "github"),
        ("os.environ[\"GITHUB_TOKEN\"] = \"x\"", "GITHUB"), ("$_ENV['GITHUB_TOKEN'] = 'x';", "GITHUB"),
        ("os.Setenv(\"GITHUB_TOKEN\", \"x\")", "GITHUB"), ("define( 'GITHUB_TOKEN', 'x' );", "GITHUB"),
        ("props.put(\"my.github.token\", \"x\");", "github"), ("constexpr char kGithubToken[] = \"x\";", "Github"),
        ("variable \"github_token\" {", "github"), ("github_token <- \"x\"", "github"), ("github_pat <<- 'x'", "github"),
        ("github {\n  token = \"x\"\n}", "github"), ("<entry key=\"github.token\">x</entry>", "github"),
        ("env:\n  - name: GITHUB_TOKEN\n    value: x", "GITHUB"), ("- name: \"GITHUB_TOKEN\"\n  value: x", "GITHUB"),
        ("token = ENV.fetch(\"GITHUB_TOKEN\") { \"x\" }", "GITHUB"), ("{ { \"GithubToken\", \"x\" } }", "Github"),
        ("System.getenv(\"GITHUB_TOKEN\") ?: \"x\"", "GITHUB"), ("env(\"GITHUB_TOKEN\") || \"x\"", "GITHUB"),
        ("resource \"github_app\" \"main\" {", "github"), ("[{\"name\": \"GITHUB_TOKEN\", \"value\": \"x\"}]", "GITHUB"),
        ("{\"key\": \"github_token\", \"value\": \"x\"}", "github"), ("g = github.Client(token=\"x\")", "github"),
        ("new GitHub({ token: \"x\" })", "GitHub"), ("GitHub.configure do |c|", "GitHub"), ("GitHub.configure { |c| c.token = 1 }", "GitHub"), ("buildConfigField \"String\", \"GITHUB_TOKEN\", \"x\"", "GITHUB"),
    ])
    func aVendorNameGivenAValueCounts(text: String, word: String) {
        #expect(namesAValueStrictly(text, word), "\(text)")
    }

    @Test(arguments: [
        ("See https://github.com/org/repo", "github"), ("on GitHub, open a PR", "GitHub"), ("${{ github.token }}", "github"),
        ("if (tokens[\"github\"] == x) {", "github"), ("providers = [\"github\", \"gitlab\"]", "github"),
        ("log(x, \"github\", y)", "github"), ("githubTokens[i] == x", "github"), ("if github_count <-1 {", "github"),
        ("Dim github As New Client()", "github"),
        ("if github {", "github"), ("github {}", "github"), ("username: GITHUB_TOKEN\n", "GITHUB"), ("notify(\"github\")", "github"),
        ("[{\"label\": \"github\", \"id\": 1}]", "github"), ("GitHub (the host) is down", "GitHub"), ("github do not", "github"),
        ("github.send(message)", "github"), ("if github.enabled() == x {", "github"), ("if: ${{ github.event_name == 'push' }}", "github"), ("github.Compare(a == b)", "github"), ("f(\"github\") + g", "github"), ("s = \"github\" \"x\"", "github"),
    ])
    func aVendorNameInProseOrExpressionsDoesNotCount(text: String, word: String) {
        #expect(!namesAValueStrictly(text, word), "\(text)")
    }

    /// In source code, a vendor's name given only code on its line (`let column = tokens[k].column`, a
    /// parameter `column: Int`) names no literal; one given a string, an object or a value on later lines does.
    @Test(arguments: [
        ("let column = tokens[k].column", "column"), ("func f(column: Int, line: Int)", "column"),
        ("    column: UInt = #column", "column"), ("let square = side * side", "square"), ("github := client.New()", "github"),
    ])
    func aVendorNameGivenOnlyCodeIsCode(text: String, word: String) {
        #expect(at(text, word) { b, s, _ in BufferScanner.assignsOnlyCode(b, start: s) }, "\(text)")
    }

    @Test(arguments: [
        ("let githubToken = \"x\"", "github"), ("github:\n  token: x", "github"),
        ("github = {", "github"), ("github: [", "github"), ("let github_token = String::from(\"x\")", "github"),
        ("github_token = `x`", "github"), ("GITHUB_TOKEN = (\n    \"x\"\n    \"y\"\n)", "GITHUB"), ("GitHub::Client.new(token: x)", "GitHub"), ("github_token =\n  \"x\"", "github"),
    ])
    func aVendorNameGivenALiteralIsNotCode(text: String, word: String) {
        #expect(!at(text, word) { b, s, _ in BufferScanner.assignsOnlyCode(b, start: s) }, "\(text)")
    }

    /// Only in source code does a name given code not count: a `.env` or YAML value is unquoted (`COLUMN_API_KEY=v`
    /// would be code in Python), and a key assigned in a Swift or Python file as a string literal is still found.
    @Test func aVendorKeyIsFoundInCodeAndConfigButCodeAloneOpensNothing() throws {
        let key = "live_" + FakeKeys.alnum(27)
        for (text, path) in [("COLUMN_API_KEY=\(key)\n", "deploy/.env"), ("column:\n  api_key: \(key)\n", "config/app.yaml"),
                             ("let columnApiKey = \"\(key)\"\n", "Sources/App/Keys.swift"),
                             ("COLUMN_API_KEY = \"\(key)\"\n", "app/settings.py")] {
            let found = try Engine.scan(text, path: path).filter { $0.provider == "column" }
            #expect(found.map(\.secret) == [key], "\(path): \(found.map(\.ruleID))")
        }
    }

    /// `.properties` separates a name from its value with a blank alone: there a password word always counts,
    /// and the key is found.
    @Test func aBlankSeparatedPasswordInAPropertiesFileIsFound() throws {
        let secret = FakeKeys.alnum(10) + "#" + FakeKeys.alnum(6)
        let found = try Engine.scan("db.password \(secret)\n", path: "conf/app.properties")
        #expect(found.map(\.secret).contains(secret), "\(found.map(\.ruleID))")
        #expect(BufferScanner.blankSeparatedConfig("conf/app.properties"))
        #expect(!BufferScanner.blankSeparatedConfig("conf.d/app.yaml"))
    }

    /// Dockerfiles (`ENV DB_PASSWORD value`) and `.conf` files (`password<TAB>value`, redis's `requirepass value`)
    /// name a value with blanks too: the password is found there, and a prose line about a password is not.
    @Test func blankSeparatedPasswordsInDockerfilesAndConfFilesAreFound() throws {
        let secret = FakeKeys.alnum(12) + "%" + FakeKeys.alnum(6)
        for (text, path) in [("FROM debian:12\nENV DB_PASSWORD \(secret)\n", "Dockerfile"),
                             ("user\tbilling\npassword\t\(secret)\n", "etc/billing/db.conf"),
                             ("port 6379\nrequirepass \(secret)\n", "redis/redis.conf"),
                             ("port 6379\nmasterauth \(secret)\n", "redis/replica.conf")] {
            let found = try Engine.scan(text, path: path)
            #expect(found.map(\.secret) == [secret], "\(path): \(found.map(\.ruleID))")
            #expect(BufferScanner.blankSeparatedConfig(path))
        }
        #expect(try Engine.scan("# the password must be long\npassword \(secret) or longer\n", path: "etc/db.conf").isEmpty)
        #expect(try Engine.scan("ENV DB_PASSWORD ${DB_PASSWORD}\n", path: "Dockerfile").isEmpty)
    }

    /// In YAML, INI and `.conf` files an unquoted value under a secret-looking name is read as in a dotenv file;
    /// references, URLs, resource names and dummies are not findings.
    @Test func unquotedSecretsInConfigurationFilesAreFound() throws {
        let token = FakeKeys.random(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), 36)
        for (text, path) in [("service:\n  billing_api_token: \(token)\n", "deploy/values.yaml"),
                             ("[billing]\nclient_secret = \(token)\n", "conf/billing.ini"),
                             ("upstream_auth_token: \(token)\n", "etc/proxy.yml")] {
            let found = try Engine.scan(text, path: path)
            #expect(found.map(\.secret) == [token], "\(path): \(found.map(\.ruleID))")
        }
        let quiet = "auth:\n  secretName: tls-cert-production\n  token_url: https://auth.internal/oauth/token\n"
            + "  api_key: ${{ secrets.BILLING_API_KEY }}\n  client_secret: your-client-secret-here\n"
        #expect(try Engine.scan(quiet, path: ".github/workflows/deploy.yaml").isEmpty)
    }

    /// A chat export names the vendor in one message and gives the secret two messages later, some 300 bytes on:
    /// the vendor's word still opens the named-value rules (it counted only with a secret word within 160
    /// bytes, and such a key was missed).
    @Test func aVendorNamedAFewMessagesBeforeTheSecretStillCounts() throws {
        let secret = FakeKeys.alnum(32)
        let message = { (user: String, text: String, ts: String) in
            "    {\n        \"type\": \"message\",\n        \"user\": \"\(user)\",\n        \"text\": \"\(text)\",\n        \"ts\": \"\(ts)\"\n    }"
        }
        let text = "[\n" + [message("U02ABCD", "is the MaintainX sandbox still up?", "1712131200.000100"),
                             message("U05LMNO", "checking the status page", "1712131230.000150"),
                             message("U07WXYZ", "yes, use this webhook signing secret for now: \(secret)", "1712131260.000200")]
            .joined(separator: ",\n") + "\n]\n"
        let vendorAt = try #require(text.range(of: "MaintainX")), secretAt = try #require(text.range(of: "secret for now"))
        #expect(text.utf8.distance(from: vendorAt.upperBound, to: secretAt.lowerBound) > 200)
        let found = try Engine.scan(text, path: "exports/slack/integrations/2026-04-03.json")
        #expect(found.map(\.secret) == [secret], "\(found.map(\.ruleID))")
    }

    /// A Dockerfile's `ENV`/`ARG` with a secret-named variable is read like a dotenv line (an image keeps both
    /// in its history), in either `ENV` form; references and ordinary settings are not findings.
    @Test func secretNamedDockerfileVariablesAreFound() throws {
        let token = FakeKeys.random(Array("abcdefghijklmnopqrstuvwxyz0123456789"), 32)
        for line in ["ENV BILLING_API_TOKEN=\(token)", "ENV BILLING_API_TOKEN \(token)", "ARG NPM_AUTH_TOKEN=\(token)"] {
            let found = try Engine.scan("FROM node:22\n\(line)\nRUN npm ci\n", path: "services/web/Dockerfile")
            #expect(found.map(\.secret) == [token], "\(line): \(found.map(\.ruleID))")
        }
        let quiet = "FROM node:22\nENV BILLING_API_TOKEN=${BILLING_API_TOKEN}\nENV PATH=/usr/local/lib/node_modules/bin\nARG TOKEN_URL=https://auth.internal/token\n"
        #expect(try Engine.scan(quiet, path: "Dockerfile").isEmpty)
    }
}

/// In a file over 16 KB the named values are read in windows around the gate words: a key in the middle of
/// a large file is found with its YAML parent, and a key file of the same size with no gate word costs nothing.
@Suite struct LargeFileWindowTests {
    /// When only the path names the provider, a large file is read around its secret words: the key under
    /// `api_key` is found, and a large file with no secret word gives nothing and is not read.
    @Test func aLargeFileNamedOnlyByItsPathIsReadAroundItsSecretWords() throws {
        // A random key may itself spell a secret word (`key`, `pwd`, ...); draw until it does not, so that the
        // count below is the two words of `api_key` only.
        var key: String
        repeat { key = FakeKeys.random(Array("abcdefghijklmnopqrstuvwxyz0123456789"), 20) }
        while !Array(key.utf8).withUnsafeBytes({ BufferScanner.secretWordEnds($0) }).isEmpty
        let filler = (0..<500).map { "  {\"quote\": \"\($0)\", \"currency\": \"usd\"},\n" }.joined()
        let text = "[\n" + filler + "  {\"api_key\": \"\(key)\"},\n" + filler + "  {}\n]\n"
        #expect(text.utf8.count > 2 * BufferScanner.wholeBufferLimit)
        let found = try Engine.scan(text, path: "exports/finnhub/quotes.json").filter { $0.provider == "finnhub" }
        #expect(found.map(\.secret) == [key], "\(found.map(\.ruleID))")
        let ends = Array(text.utf8).withUnsafeBytes { BufferScanner.secretWordEnds($0) }
        #expect(ends.count == 2)  // `api` and `key` of `api_key`
        let none = Array(("[\n" + filler + "]\n").utf8).withUnsafeBytes { BufferScanner.secretWordEnds($0) }
        #expect(none.isEmpty)
    }

    @Test func aKeyInTheMiddleOfALargeFileIsFoundUnderItsParent() throws {
        let key = FakeKeys.alnum(32)
        let filler = (0..<600).map { "  setting_\($0): value number \($0) of the service\n" }.joined()
        let text = "service:\n" + filler + "shodan:\n  region: eu\n  timeout: 30\n  api_key: \"\(key)\"\n" + "other:\n" + filler
        #expect(text.utf8.count > 40_000)
        let found = try Engine.scan(text, path: "deploy/values.yaml").filter { $0.provider == "shodan" }
        #expect(found.map(\.secret) == [key], "\(found.map(\.ruleID))")
    }
}
