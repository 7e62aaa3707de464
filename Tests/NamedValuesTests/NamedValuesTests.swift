import Testing
@testable import NamedValues

/// A value assembled at run time, so this file holds nothing secret-shaped.
private let v = ["Q7x", "Lp2", "Vn9", "Kd4", "Zr8", "Tw3"].joined()

private func names(_ text: String, path: String = "") -> [(String, String)] {
    NamedValues.extract(text, path: path).map { ($0.keyPath, $0.value) }
}

private func expectFound(_ text: String, _ keyPath: String, path: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
    let found = names(text, path: path)
    #expect(found.contains { $0.0 == keyPath && $0.1 == v }, "\(keyPath) not in \(found)", sourceLocation: sourceLocation)
}

@Suite struct Assignments {
    @Test(arguments: [
        ("MAKINI_CLIENT_SECRET=\(v)", "MAKINI_CLIENT_SECRET"),
        ("export MAKINI_CLIENT_SECRET=\"\(v)\"", "MAKINI_CLIENT_SECRET"),
        ("makini_secret = '\(v)'  # prod", "makini_secret"),
        ("const makiniSecret = \"\(v)\";", "makiniSecret"),
        ("secret := \"\(v)\"", "secret"),
        ("pub const MAKINI_SECRET: &str = \"\(v)\";", "MAKINI_SECRET"),
        ("static MAKINI_SECRET: &'static str = \"\(v)\";", "MAKINI_SECRET"),
        ("private static final String MAKINI_SECRET = \"\(v)\";", "MAKINI_SECRET"),
        ("val makiniSecret: String = \"\(v)\"", "makiniSecret"),
        ("private const string MakiniSecret = @\"\(v)\";", "MakiniSecret"),
        ("$makiniSecret = '\(v)';", "$makiniSecret"),
        ("'makini_secret' => '\(v)',", "makini_secret"),
        ("let makiniSecret = \"\(v)\"", "makiniSecret"),
        ("#define MAKINI_SECRET \"\(v)\"", "MAKINI_SECRET"),
        ("const Secret string = \"\(v)\"", "Secret"),
        ("static const char MAKINI_SECRET[] = \"\(v)\";", "MAKINI_SECRET"),
        ("buildConfigField(\"String\", \"MAKINI_SECRET\", \"\\\"\(v)\\\"\")", "MAKINI_SECRET"),
        ("client = Client(client_secret=\"\(v)\")", "Client.client_secret"),
        ("client = discord.Client(\n    intents=intents,\n    secret=\"\(v)\",\n)", "discord.Client.secret"),
        ("let c = Client(id: 42, secret: \"\(v)\")", "Client.secret"),
        ("const d = new Discord({ secret: \"\(v)\" });", "Discord.secret"),
        ("Discord.configure do |config|\n  config.secret = \"\(v)\"\nend", "Discord.configure.config.secret"),
        ("MAKINI_CLIENT_SECRET: \(v)", "MAKINI_CLIENT_SECRET"),
        ("makini_secret <- \"\(v)\"", "makini_secret"),
        ("makini_secret <<- '\(v)'", "makini_secret"),
        ("Dim makiniSecret As String = \"\(v)\"", "makiniSecret"),
        ("$env:MAKINI_SECRET = \"\(v)\"", "MAKINI_SECRET"),
        ("var c = new Dictionary<string, string> { { \"MakiniSecret\", \"\(v)\" } };", "MakiniSecret"),
        ("buildConfigField \"String\", \"MAKINI_SECRET\", \"\\\"\(v)\\\"\"", "MAKINI_SECRET"),
    ])
    func assignment(text: String, name: String) {
        expectFound(text, name)
    }

    /// A keyword argument is under its call, and an object literal passed to a call is too; a dictionary's key
    /// inside a list argument is not a keyword argument, and `if (` is no call.
    @Test func keywordArgumentsAreUnderTheirCall() {
        let found = names("send({\"secret\": \"\(v)\"})\nif (ok) { token = \"\(v)x\" }\npost([{\"key\": 1, \"pw\": \"\(v)y\"}])\n")
        #expect(found.contains { $0.0 == "send.secret" && $0.1 == v }, "\(found)")
        #expect(found.contains { $0.0 == "token" && $0.1 == v + "x" }, "\(found)")
        #expect(found.contains { $0.0 == "pw" && $0.1 == v + "y" }, "\(found)")
    }

    /// Ruby's `ENV.fetch("NAME") { "default" }`: the block's value is named after the variable.
    @Test func rubyFetchBlockDefault() {
        let found = names("MAKINI_SECRET = ENV.fetch(\"MAKINI_CLIENT_SECRET\") { \"\(v)\" }\n", path: "config/app.rb")
        #expect(found.contains { $0.0.hasSuffix("MAKINI_CLIENT_SECRET") && $0.1 == v }, "\(found)")
        #expect(!names("items.each { \"\(v)\" }\n").contains { $0.1 == v })
    }

    @Test(arguments: [
        ("const s = process.env.MAKINI_SECRET || \"\(v)\";", "MAKINI_SECRET"),
        ("const s = process.env.MAKINI_SECRET ?? '\(v)';", "MAKINI_SECRET"),
        ("s = os.getenv(\"MAKINI_SECRET\", \"\(v)\")", "MAKINI_SECRET"),
        ("s = os.environ.get('MAKINI_SECRET', '\(v)')", "MAKINI_SECRET"),
        ("s = ENV.fetch(\"MAKINI_SECRET\", \"\(v)\")", "MAKINI_SECRET"),
        ("s = ENV[\"MAKINI_SECRET\"] || \"\(v)\"", "MAKINI_SECRET"),
        ("'secret' => env('MAKINI_SECRET', '\(v)'),", "MAKINI_SECRET"),
        ("String s = System.getenv().getOrDefault(\"MAKINI_SECRET\", \"\(v)\");", "MAKINI_SECRET"),
        ("val s = System.getenv(\"MAKINI_SECRET\") ?: \"\(v)\"", "MAKINI_SECRET"),
        ("s = os.getenv(\"MAKINI_SECRET\") or \"\(v)\"", "MAKINI_SECRET"),
        ("SECRET=${MAKINI_SECRET:-\(v)}", "MAKINI_SECRET"),
        ("secret := os.Getenv(\"MAKINI_SECRET\")\nif secret == \"\" {\n\tsecret = \"\(v)\"\n}", "MAKINI_SECRET"),
        ("@dataclass\nclass MakiniSettings:\n    webhook_secret: str = \"\(v)\"", "MakiniSettings.webhook_secret"),
        ("class Settings(BaseSettings):\n    secret: str = Field(default=\"\(v)\", env=\"MAKINI_SECRET\")", "Settings.MAKINI_SECRET"),
    ])
    func fallback(text: String, name: String) {
        expectFound(text, name)
    }

    /// An unquoted value may start with a byte that could continue an operator after `=` (a password such as
    /// `!x9...` or `%x9...`); `==` and `=>` stay operators.
    @Test func anUnquotedValueMayStartWithPunctuation() {
        for first in ["!", "%", "*", "^", "+"] {
            let found = names("DB_PASSWORD=\(first)\(v)\n")
            #expect(found.contains { $0.0 == "DB_PASSWORD" && $0.1 == first + v }, "\(first): \(found)")
        }
        #expect(!names("if secret == \"\(v)\" {}\n").contains { $0.1.hasPrefix("=") })
        #expect(!names("secret => \(v)\n").contains { $0.1.hasPrefix(">") })
    }

    @Test func splitLiterals() {
        let a = String(v.prefix(6)), b = String(v.dropFirst(6).prefix(6)), c = String(v.dropFirst(12))
        expectFound("const char *MAKINI_SECRET = \"\(a)\" \"\(b)\" \"\(c)\";", "MAKINI_SECRET")
        expectFound("#define MAKINI_SECRET \\\n    \"\(a)\" \\\n    \"\(b)\" \\\n    \"\(c)\"", "MAKINI_SECRET")
        expectFound("secret = \"\(a)\" +\n    \"\(b)\" +\n    \"\(c)\"", "secret")
        expectFound("MAKINI_SECRET = (\n    \"\(a)\"\n    \"\(b)\"\n    \"\(c)\"\n)", "MAKINI_SECRET")
        let found = NamedValues.extract("x = 1\nsecret = \"\(a)\" + \"\(b)\" + \"\(c)\"")
        #expect(found.first { $0.value == v }?.range.lowerBound == 16)
    }
}

@Suite struct Structured {
    @Test func yamlPaths() {
        expectFound("makini:\n  webhook:\n    # rotated monthly\n    secret: \"\(v)\"\n  base_url: https://api.makini.io\n", "makini.webhook.secret")
        expectFound("env:\n  - name: MAKINI_CLIENT_SECRET\n    value: \"\(v)\"\n", "env.MAKINI_CLIENT_SECRET")
        expectFound("services:\n  api:\n    environment:\n      - MAKINI_SECRET=\(v)\n", "services.api.environment.MAKINI_SECRET")
    }

    /// A YAML block scalar of one line (`secret: |`, `>-`) holds that line; the keys after it are read as before.
    @Test func yamlBlockScalars() {
        expectFound("makini:\n  client_secret: |\n    \(v)\n  base_url: https://api.makini.io\n", "makini.client_secret")
        expectFound("makini:\n  client_secret: >-  # folded\n\n    \(v)\nother_secret: \(v)\n", "makini.client_secret")
        expectFound("makini:\n  client_secret: |-\n    \(v)\nother_secret: \(v)\n", "other_secret")
        let multi = names("makini:\n  client_secret: |\n    \(v)\n    second line\n")
        #expect(!multi.contains { $0.1 == v || $0.1 == "|" }, "\(multi)")
        // Not deeper than the key: the block is empty, and the next key is no value of it.
        #expect(!names("client_secret: |\nother: \(v)x\n").contains { $0.0 == "client_secret" })
        // The value's range is its own line's text.
        let text = "a: 1\nmakini_secret: >\n  \(v)\n"
        let found = NamedValues.extract(text).first { $0.value == v }
        #expect(found?.range == (text.utf8.count - v.utf8.count - 1)..<(text.utf8.count - 1))
    }

    /// A YAML anchor or tag before a value is not part of it; an anchor alone opens a block as before.
    @Test func yamlAnchorsAndTags() {
        expectFound("makini:\n  client_secret: &prod \(v)\n", "makini.client_secret")
        expectFound("makini:\n  client_secret: !!str \(v)\n", "makini.client_secret")
        expectFound("base: &base\n  makini_secret: \(v)\n", "base.makini_secret")
        #expect(!names("makini_secret: &anchor\n").contains { $0.1.contains("anchor") })
    }

    /// A value after a block closes is under the blocks still open only (the path is made once per block).
    @Test func aClosedBlockLeavesThePath() {
        expectFound("makini:\n  webhook:\n    secret: \"\(v)\"\n  client_secret: \"\(v)x\"\nother_secret: \(v)\n", "other_secret")
        expectFound("makini:\n  webhook:\n    secret: \"\(v)x\"\n  client_secret: \(v)\n", "makini.client_secret")
        expectFound("{\"makini\": {\"webhook\": {\"secret\": \"\(v)x\"}, \"client_secret\": \"\(v)\"}}", "makini.client_secret")
        expectFound("{\"makini\": {\"webhook\": {\"secret\": \"\(v)x\"}}, \"other_secret\": \"\(v)\"}", "other_secret")
    }

    @Test func jsonPaths() {
        expectFound("{\n  \"Makini\": {\n    \"Webhooks\": {\n      \"SigningSecret\": \"\(v)\"\n    }\n  }\n}", "Makini.Webhooks.SigningSecret")
        expectFound("{\"values\": [{\"key\": \"MAKINI_TOKEN\", \"value\": \"\(v)\", \"enabled\": true}]}", "values.MAKINI_TOKEN")
        expectFound("{\"values\": [\n  {\n    \"key\": \"MAKINI_TOKEN\",\n    \"value\": \"\(v)\"\n  }\n]}", "values.MAKINI_TOKEN")
    }

    @Test func sectionsAndBlocks() {
        expectFound("[makini]\nclient_secret = \"\(v)\"\n", "makini.client_secret")
        expectFound("provider \"makini\" {\n  client_secret = \"\(v)\"\n}\n", "makini.client_secret")
        expectFound("makini.client.secret=\\\n  \(v)\n", "makini.client.secret", path: "app.properties")
        expectFound("makini.client.secret \(v)\n", "makini.client.secret", path: "app.properties")
    }

    /// Dockerfile's older `ENV NAME value` and `.conf` lines of one name and one value are named values; a
    /// `.conf` directive with several arguments, a comment, and the same lines in other files are not.
    @Test func blankSeparatedLines() {
        expectFound("FROM debian:12\nENV MAKINI_CLIENT_SECRET \(v)\n", "MAKINI_CLIENT_SECRET", path: "Dockerfile")
        expectFound("FROM debian:12\nenv MAKINI_CLIENT_SECRET \"\(v)\"\n", "MAKINI_CLIENT_SECRET", path: "build/app.dockerfile")
        expectFound("FROM x\n  ENV MAKINI_CLIENT_SECRET \(v) \\\n      OTHER=1\n", "MAKINI_CLIENT_SECRET", path: "Containerfile.prod")
        expectFound("bind 127.0.0.1\nrequirepass \(v)\n", "requirepass", path: "etc/redis/redis.conf")
        expectFound("user\tapp\nmakini_secret\t\(v)\n", "makini_secret", path: "vendor.cfg")
        #expect(!names("makini_secret is \(v)\n", path: "vendor.conf").contains { $0.1 == v })
        #expect(!names("# requirepass \(v)\n", path: "redis.conf").contains { $0.1 == v })
        #expect(!names("ENV MAKINI_CLIENT_SECRET \(v)\n", path: "notes.md").contains { $0.1 == v })
        #expect(!names("requirepass \(v)\n", path: "redis.yaml").contains { $0.1 == v })
        // `ENV A=b` stays an assignment, read once, with its own value.
        #expect(names("ENV MAKINI_CLIENT_SECRET=\(v)\n", path: "Dockerfile").filter { $0.1 == v }.count == 1)
    }

    /// Notes and logs (`.txt`, `.log`) label a value with words: the label's words before it are its path, the
    /// value is the last word of the line. Prose, and the same lines in other files, give nothing.
    @Test func labelledLines() {
        expectFound("makini SECRET \(v)\n", "makini.SECRET", path: "notes.txt")
        expectFound("makiniKEY \(v)\n", "makiniKEY", path: "notes.txt")
        expectFound("makini token - '\(v)'\n", "makini.token", path: "notes.txt")
        expectFound("makini ACCESS TOKEN \(v)\n", "makini.ACCESS.TOKEN", path: "notes.txt")
        expectFound("makini auth token |\(v)\n", "makini.auth.token", path: "notes.txt")
        expectFound("[INFO] start\n[DEBUG] Using makini Key=\(v)\n[INFO] done\n", "Using.makini.Key", path: "app.log")
        expectFound("makini secretkey \(v)\n", "makini.secretkey", path: "notes.txt")
        #expect(!names("curl https://api.makini.io -d token=\(v)\n", path: "notes.txt").contains { $0.0 == "curl.-d.token" })
        for prose in ["the makini key is \(v)\n", "makini token expired \(v) ago\n", "makini secret\n\(v)\n",
                      "rotate the makini key \(v) now\n"] {
            #expect(!names(prose, path: "notes.txt").contains { $0.1 == v }, "\(prose)")
        }
        #expect(!names("makini SECRET \(v)\n", path: "notes.md").contains { $0.1 == v })
        #expect(!names("makini SECRET \(v)\n", path: "main.swift").contains { $0.1 == v })
    }

    /// `ACCESS` or `PRIVATE` ending a label right before the value, after a word naming whose key it is, stands
    /// for that key (`clockify PRIVATE v`); alone, before another label word, or in prose it labels nothing.
    @Test func keyLabels() {
        expectFound("makini PRIVATE \(v)\n", "makini.PRIVATE_KEY", path: "notes.txt")
        expectFound("makini Access: \(v)\n", "makini.Access_KEY", path: "notes.txt")
        expectFound("makiniACCESS \(v)\n", "makiniACCESS_KEY", path: "notes.txt")
        expectFound("[DEBUG] makini private '\(v)'\n", "makini.private_KEY", path: "app.log")
        // Before a label word it continues that label, as before.
        expectFound("makini ACCESS TOKEN \(v)\n", "makini.ACCESS.TOKEN", path: "notes.txt")
        expectFound("makini PRIVATE key \(v)\n", "makini.PRIVATE.key", path: "notes.txt")
        for text in ["PRIVATE \(v)\n", "ACCESS \(v)\n", "grant makini private access to \(v)\n",
                     "makini access granted \(v)\n", "makini ACCESS\n\(v)\n"] {
            // (`PRIVATE v` is a word and then a value, which only a rule taking its vendor's name alone judges.)
            #expect(!NamedValues.extract(text, path: "notes.txt").contains { !$0.unlabelled && $0.value == v }, "\(text)")
        }
        #expect(!names("makini PRIVATE \(v)\n", path: "notes.md").contains { $0.1 == v })
    }

    /// A remark after the value on a labelled line (a comment, a note in parentheses, more after `|` or `/`)
    /// leaves the value taken; other words after it are prose.
    @Test func remarksAfterALabelledValue() {
        expectFound("makini key \(v) # prod\n", "makini.key", path: "notes.txt")
        expectFound("makini key \(v) // staging\n", "makini.key", path: "notes.txt")
        expectFound("makini token = '\(v)' | '\(v)'\n", "makini.token", path: "notes.txt")
        expectFound("makini SECRET \(v) (expires in May)\n", "makini.SECRET", path: "notes.txt")
        expectFound("makini key: \(v) / ops@example.com\n", "makini.key", path: "notes.txt")
        expectFound("makiniKEY=\(v) # rotated\n", "makiniKEY", path: "notes.txt")
        for prose in ["makini key \(v) expired yesterday\n", "makini token \(v) and \(v)\n", "makini key \(v)/x\n",
                      "makini key \(v) |x\n"] {
            #expect(!names(prose, path: "notes.txt").contains { $0.1 == v }, "\(prose)")
        }
    }

    /// A word and then values with no label between (`cloudsmith v`, `keenio 'v' keenio 'w'`) are values named
    /// by the word and marked unlabelled; a value is 12 bytes or more holding a digit, and a remark may follow.
    @Test func wordThenValues() {
        func unlabelled(_ text: String, path: String = "notes.txt") -> [(String, String)] {
            NamedValues.extract(text, path: path).filter(\.unlabelled).map { ($0.keyPath, $0.value) }
        }
        #expect(unlabelled("makini \(v)\n").map(\.0) == ["makini"])
        #expect(unlabelled("  makini '\(v)' makini \"\(v)9\",\n").map(\.1) == [v, v + "9"])
        #expect(unlabelled("makini \(v) # prod\n").map(\.1) == [v])
        #expect(unlabelled("makini \(v) (expires May)\n").map(\.1) == [v])
        // Short or digit-less words, a line starting with anything but a word, and other kinds of file: nothing.
        for text in ["makini Q7xLp2Vn9\n", "makini uploaded everything yesterday\n", "[INFO] \(v)\n", "- \(v)\n",
                     "makini: \(v)\n", "makini says \(v)\n"] {
            #expect(unlabelled(text).isEmpty, "\(text)")
        }
        #expect(unlabelled("makini \(v)\n", path: "notes.md").isEmpty)
        // A labelled line stays labelled.
        #expect(unlabelled("makini key \(v)\n").isEmpty)
    }

    /// A Markdown code fence is read line by line: an empty httpie field before a `\` continuation has no value
    /// (the next line's header is not it), and an assignment inside a fence is found.
    @Test func markdownCodeFences() {
        let httpie = "## Debugging\n\n```sh\nhttp POST https://api.makini.io/api/webhooks \\\n    secret= \\\n    Accept:application/json\n```\n"
        #expect(!names(httpie, path: "notes/debugging.md").contains { $0.0.hasSuffix("secret") && $0.1.contains("Accept") })
        expectFound("# Setup\n\n```bash\nexport MAKINI_CLIENT_SECRET=\(v)\n```\n", "MAKINI_CLIENT_SECRET", path: "README.md")
        expectFound("````md\n```yaml\nmakini:\n  client_secret: \(v)\n```\n````\n", "makini.client_secret", path: "docs/setup.md")
    }

    @Test func markup() {
        expectFound("<config>\n  <makini>\n    <clientSecret>\(v)</clientSecret>\n  </makini>\n</config>", "config.makini.clientSecret")
        expectFound("<dict>\n  <key>MakiniClientSecret</key>\n  <string>\(v)</string>\n</dict>", "dict.MakiniClientSecret")
        expectFound("<appSettings>\n  <add key=\"Makini:ClientSecret\" value=\"\(v)\" />\n</appSettings>", "Makini:ClientSecret")
    }

    @Test func csv() {
        expectFound("vendor,client_id,client_secret\nmakini,abc,\(v)\n", "client_secret", path: "creds.csv")
    }
}

/// What cleaning leaves of a raw value: blanks, a trailing `;`/`,`/CR and one pair of matching quotes go, then an
/// authorization scheme; anything else is kept as written, non-ASCII text included.
/// A record's name field labels the record's other fields: the label becomes their parent in the key path, and
/// each field keeps its own name.
@Suite struct Records {
    @Test func aCredentialIdLabelsTheFieldsAfterIt() {
        // Jenkins Configuration as Code.
        expectFound("credentials:\n  system:\n    domainCredentials:\n      - credentials:\n          - string:\n              scope: GLOBAL\n              id: \"makini-client\"\n              secret: \"\(v)\"\n              description: \"Makini\"\n",
                    "credentials.system.domainCredentials.credentials.string.makini-client.secret")
        // Jenkins' credentials.xml.
        expectFound("<list>\n  <com.cloudbees.plugins.credentials.impl.StringCredentialsImpl>\n    <scope>GLOBAL</scope>\n    <id>makini-client</id>\n    <secret>\(v)</secret>\n  </com.cloudbees.plugins.credentials.impl.StringCredentialsImpl>\n</list>\n",
                    "list.com.cloudbees.plugins.credentials.impl.StringCredentialsImpl.makini-client.secret")
        // A list of services, each named; one record on one line.
        expectFound("integrations:\n  - name: makini\n    api_key: \(v)\n", "integrations.makini.api_key")
        expectFound("[{\"id\": \"makini-prod\", \"token\": \"\(v)\"}]", "makini-prod.token")
        // An AWS SSM parameter: its name is a path.
        expectFound("{\"Parameter\": {\"Name\": \"/prod/makini/client_secret\", \"Type\": \"SecureString\", \"Value\": \"\(v)\"}}",
                    "Parameter.prod.makini.client_secret")
    }

    @Test func onlyANameLabelsARecordAndOnlyNearIt() {
        // A random id (its letters could spell a vendor's name) labels nothing; the field keeps its path.
        expectFound("- id: Xk3mQ9pLw2\n  secret: \(v)\n", "secret")
        expectFound("<cred>\n  <id>8f2c91ab</id>\n  <secret>\(v)</secret>\n</cred>\n", "cred.secret")
        // Five lines on, or in another record at another depth, the label is gone.
        expectFound("- name: makini\n  a: 1\n  b: 2\n  c: 3\n  d: 4\n  secret: \(v)\n", "secret")
        expectFound("<a>\n  <b>\n    <id>makini</id>\n  </b>\n  <secret>\(v)</secret>\n</a>\n", "a.secret")
        // The field keeps its own name: a password under a labelled record is still a password.
        let found = names("- id: prod-database\n  password: \(v)\n")
        #expect(found.contains { $0.0 == "prod-database.password" && $0.1 == v }, "\(found)")
    }
}

/// Commands that store a value under a name given elsewhere on the command line, chains of subscripts, and
/// tables of names and values.
@Suite struct StoredValues {
    @Test func aCommandNamesTheValueItStores() {
        expectFound("gh secret set MAKINI_CLIENT_SECRET --body \(v)\n", "MAKINI_CLIENT_SECRET")
        expectFound("gh secret set MAKINI_CLIENT_SECRET -b \"\(v)\"\n", "MAKINI_CLIENT_SECRET")
        expectFound("aws ssm put-parameter --name /prod/makini/client_secret --type SecureString --value \(v)\n", "prod.makini.client_secret")
        expectFound("aws secretsmanager create-secret \\\n  --name makini/client_secret \\\n  --secret-string \(v)\n", "makini.client_secret")
        expectFound("az keyvault secret set --vault-name kv --name makini-client-secret --value \(v)\n", "makini-client-secret")
        // Without a name on the command line the flag names the value, as before.
        expectFound("tool put --value \(v)\n", "value")
        // A name on another command line names nothing here.
        expectFound("gh secret set MAKINI_CLIENT_SECRET\ntool put --value \(v)\n", "value")
    }

    @Test func aSetCommandNamesTheValueAfterTheName() {
        expectFound("aws configure set makini_client_secret \(v)\n", "makini_client_secret")
        expectFound("netlify env:set MAKINI_CLIENT_SECRET \(v)\n", "MAKINI_CLIENT_SECRET")
        expectFound("doppler secrets set MAKINI_CLIENT_SECRET \(v) --silent\n", "MAKINI_CLIENT_SECRET")
        expectFound("dotnet user-secrets set \"Makini:ClientSecret\" \"\(v)\"\n", "Makini:ClientSecret")
        // A shell option, a one-word name and a name on another line set nothing.
        #expect(!names("set -e \(v)\n").contains { $0.1 == v })
        #expect(!names("set x \(v)\n").contains { $0.1 == v })
        #expect(!names("netlify env:set MAKINI_CLIENT_SECRET\n\(v)\n").contains { $0.1 == v })
    }

    @Test func theKeysOfAChainOfSubscriptsAreParents() {
        expectFound("config[\"makini\"][\"client_secret\"] = \"\(v)\"\n", "makini.client_secret")
        expectFound("<?php\n$cfg['makini']['oauth']['client_secret'] = '\(v)';\n", "makini.oauth.client_secret")
        expectFound("os.environ[\"MAKINI_CLIENT_SECRET\"] = \"\(v)\"\n", "MAKINI_CLIENT_SECRET")
    }

    @Test func aTableOfNamesAndValuesNamesEachValueByItsRow() {
        expectFound("name,value\nMAKINI_CLIENT_SECRET,\(v)\n", "MAKINI_CLIENT_SECRET", path: "vars.csv")
        expectFound("# Setup\n\n| Variable | Value | Notes |\n|---|:---:|---|\n| `MAKINI_CLIENT_SECRET` | `\(v)` | prod |\n", "MAKINI_CLIENT_SECRET", path: "README.md")
        // Other tables name a cell by its column, as before; so does a row whose name is no name.
        expectFound("id,client_secret\n7,\(v)\n", "client_secret", path: "data.csv")
        expectFound("| Region | Secret |\n| --- | --- |\n| eu | \(v) |\n", "Secret", path: "README.md")
        expectFound("| Name | Value |\n| --- | --- |\n| prod (eu) 2 | \(v) |\n", "Value", path: "README.md")
        // A Markdown table needs its delimiter row, and is read only in Markdown files.
        #expect(!names("| Name | Value |\n| MAKINI_CLIENT_SECRET | \(v) |\n", path: "README.md").contains { $0.0 == "MAKINI_CLIENT_SECRET" })
        #expect(!names("| Name | Value |\n|---|---|\n| MAKINI_CLIENT_SECRET | \(v) |\n", path: "notes.rst").contains { $0.0 == "MAKINI_CLIENT_SECRET" })
        // The value's range is the cell's text, without the backticks.
        let text = "| Name | Value |\n|---|---|\n| MAKINI_CLIENT_SECRET | `\(v)` |\n"
        let found = NamedValues.extract(text, path: "a.md").first { $0.name == "MAKINI_CLIENT_SECRET" }
        #expect(found.map { Array(Array(text.utf8)[$0.range]) } == Array(v.utf8))
    }
}

@Suite struct Cleaning {
    @Test(arguments: [
        ("  \"\(v)\";  ", v), ("'\(v)',", v), ("\t\(v)\r", v), ("Bearer \(v)", v), ("\"token  \(v)\"", v),
        ("Bot \(v)", v), ("\"\(v)'", "\"\(v)'"), ("\"\"", ""), ("\"", "\""), ("é\(v)ü", "é\(v)ü"),
        ("\"é\(v)\"", "é\(v)"), ("\(v) ;", v), ("Bearer", "Bearer"), ("", ""),
    ])
    func clean(raw: String, expected: String) {
        #expect(NamedValues.clean(raw) == expected, "\(raw)")
    }
}

@Suite struct ValuesInValues {
    @Test func nested() {
        expectFound("log: \"{\\\"makini\\\": {\\\"client_secret\\\": \\\"\(v)\\\"}}\"", "log.makini.client_secret")
        expectFound("curl -H \"X-Api-Key: \(v)\" https://api.makini.io/api/system/client", "X-Api-Key")
        expectFound("curl -H 'Authorization: Bearer \(v)' https://api.makini.io", "Authorization")
        expectFound("http POST https://api.makini.io/x 'Authorization:Bearer \(v)'", "Authorization")
        expectFound("GET /link/token?client_id=abc&client_secret=\(v)&grant_type=x", "client_secret")
        expectFound("./worker --webhook-secret \(v) --port 8080", "webhook-secret")
        expectFound("./worker --webhook-secret=\(v)", "--webhook-secret")
        expectFound("{\"cell_type\": \"code\", \"source\": [\"import os\\n\", \"MAKINI_SECRET = \\\"\(v)\\\"\\n\"]}", "source.MAKINI_SECRET")
    }

    @Test func normalize() {
        #expect(NamedValue.normalize("makiniClientSecret") == "makini_client_secret")
        #expect(NamedValue.normalize("MAKINI-CLIENT.SECRET") == "makini_client_secret")
        #expect(NamedValue.normalize("$makini_secret") == "makini_secret")
        #expect(NamedValue.normalize("X-Api-Key") == "x_api_key")
        #expect(NamedValue.normalize("MaintainXWebhookSecret") == "maintainx_webhook_secret")
        #expect(NamedValue.normalize("MAINTAINX_API_KEY") == "maintainx_api_key")
        #expect(NamedValue.normalize("getMaintainXKey") == "get_maintainx_key")
        // No empty word anywhere: separators at either end or in a row, and bytes outside ASCII, leave one `_` or none.
        #expect(NamedValue.normalize("") == "")
        #expect(NamedValue.normalize("__--..") == "")
        #expect(NamedValue.normalize("--Api__KEY--") == "api_key")
        #expect(NamedValue.normalize("clé_secrète") == "cl_secr_te")
        #expect(NamedValue.normalize("ÉtéKey") == "t_key")
    }
}

/// The tokenizer's strings: their decoded text, and whether decoding changed it (the text is made from the raw
/// bytes until the first escape).
@Suite struct TokenizerStrings {
    private func strings(_ text: String) -> [(String, Bool)] {
        Tokenizer(bytes: Array(text.utf8)).tokens().filter { $0.kind == .string }.map { ($0.text, $0.escaped) }
    }

    @Test func plainStringsAreTheirBytes() {
        let found = strings("a = \"x1 y2\" + 'z3' + `w4`")
        #expect(found.map(\.0) == ["x1 y2", "z3", "w4"])
        #expect(found.allSatisfy { !$0.1 })
        // A triple-quoted string holding a lone quote is no escape.
        #expect(strings("s = \"\"\"a\"b\"\"\"").map(\.0) == ["a\"b"])
        #expect(strings("s = \"\"\"a\"b\"\"\"").allSatisfy { !$0.1 })
    }

    @Test func escapesAreDecodedFromTheirPlaceOn() {
        #expect(strings("s = \"ab\\\"cd\\nef\"").map(\.0) == ["ab\"cd\nef"])
        #expect(strings("s = \"ab\\u0041cd\"").map(\.0) == ["abAcd"])
        #expect(strings("s = \"\\tx\"").map(\.0) == ["\tx"])
        // After the first escape, lone quotes of a triple-quoted string are kept as well.
        #expect(strings("s = \"\"\"a\\tb\"c\"\"\"").map(\.0) == ["a\tb\"c"])
        // C#: a doubled quote inside a verbatim string is one quote.
        #expect(strings("s = @\"ab\"\"cd\"").map(\.0) == ["ab\"cd"])
        #expect(strings("s = \"ab\\\"cd\"").allSatisfy { $0.1 })
    }
}

/// Notes and logs are read word by word only on lines that hold `key`, `token` or `secret` (any case): every
/// label ends in one of them, so the other lines (nearly all of a novel or a log) cannot label a value.
@Suite struct LabelledLinePrefilterTests {
    @Test func everyLabelHoldsOneOfTheWordsTheLinesAreSearchedFor() {
        for label in LabelledLines.labels {
            #expect(["key", "token", "secret"].contains { label.contains($0) }, "\(label)")
        }
        // The key labels too: a line holding one alone is read.
        for label in LabelledLines.keyLabels {
            #expect(mentions("makini \(label.uppercased()) v") && mentions("makini\(label.prefix(1).uppercased() + label.dropFirst()) v"), "\(label)")
        }
    }

    func mentions(_ line: String) -> Bool {
        let b = Array(line.utf8)
        return LabelledLines.mentionsLabel(b, 0..<b.count)
    }

    @Test func aLineIsReadWhenItHoldsALabelInAnyCase() {
        #expect(mentions("makini SECRET v"))
        #expect(mentions("makiniKEY v"))
        #expect(mentions("deepgram Token - 'v'"))
        #expect(mentions("x apikey"))
        #expect(!mentions("It was a dark and stormy night; the rain fell in torrents"))
        #expect(!mentions("ke y tok en secre t"))
        #expect(!mentions("secre"))
        // Lines without a label word give nothing, whatever else they hold.
        #expect(names("makini auth \(v)\nmakini credential \(v)\n", path: "notes.txt").isEmpty)
        #expect(names("makini auth token \(v)\n", path: "notes.txt").map(\.0) == ["makini.auth.token"])
    }
}
