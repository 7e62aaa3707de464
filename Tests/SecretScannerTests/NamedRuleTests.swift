import NamedValues
import SecretRules
import SecretScanner
import Testing
import TestSupport

/// The named-value rules of MaintainX, Mindtickle and Makini through the real engine.
@Suite struct NamedRuleTests {
    @Test func findingsSayWhereTheirNameCameFrom() throws {
        let secret = FakeKeys.alnum(40)
        let text = "makini:\n  base_url: https://api.makini.io\n  webhook:\n    # rotated by ops\n    secret: \"\(secret)\"\n"
        let found = try Engine.scan(text, path: "deploy/values.yaml")
        let f = try #require(found.first)
        #expect(found.count == 1)
        #expect(f.ruleID == "makini-webhook-secret" && f.line == 5 && f.extra["name"] == "makini.webhook.secret")
        #expect(f.secret == secret)
    }

    /// Notes and logs: `ACCESS` or `PRIVATE` after a vendor's name labels its key, though no key, token or secret
    /// word is near (the vendor's word counts with a key label after it), and a remark may follow the value.
    @Test func aKeyLabelAfterAVendorsNameInNotes() throws {
        let key = FakeKeys.alnum(48)
        for text in ["clockify PRIVATE \(key)\n", "clockify ACCESS \(key) # prod\n", "clockify private: '\(key)'\n"] {
            let found = try Engine.scan(text, path: "notes.txt")
            #expect(found.map(\.ruleID) == ["clockify-api-key"] && found.first?.secret == key, "\(text): \(found.map(\.ruleID))")
        }
        // A value of another length, no vendor before the label, or a file of another kind: nothing.
        for (text, path) in [("clockify ACCESS \(FakeKeys.alnum(52))\n", "notes.txt"), ("ACCESS \(key)\n", "notes.txt"),
                             ("clockify PRIVATE \(key)\n", "notes.md"), ("clockify granted ACCESS \(key) now\n", "app.log")] {
            #expect(try Engine.scan(text, path: path).isEmpty, "\(text)")
        }
    }

    /// Notes and logs: a coined vendor name right before a value of its rule's exact shape (`cloudsmith v`) is
    /// enough for the rules tagged `vendor-then-value`; other rules, other vendor words of the rule, other shapes
    /// and other kinds of file give nothing.
    @Test func aCoinedVendorNameBeforeAValueInNotes() throws {
        let key = FakeKeys.hex(40)
        for text in ["cloudsmith \(key)\n", "  cloudsmith '\(key)' # prod\n", "[INFO] start\ncloudsmith \(key)\n"] {
            let found = try Engine.scan(text, path: "notes.txt")
            #expect(found.map(\.ruleID) == ["cloudsmith-api-key-named"] && found.first?.secret == key, "\(text): \(found.map(\.ruleID))")
        }
        let uuid = FakeKeys.uuid()
        #expect(try Engine.scan("blazemeter \(uuid)\n", path: "app.log").map(\.ruleID) == ["blazemeter-api-key"])
        for (text, path) in [
            ("cloudsmith \(FakeKeys.hex(41))\n", "notes.txt"),   // not the rule's length
            ("cloudsmith \(FakeKeys.alnum(40))\n", "notes.txt"),   // not its charset
            ("cloudsmith \(key)\n", "notes.md"), ("cloudsmith \(key)\n", "config.yaml"),
            ("cloudsmith uploaded \(key)\n", "notes.txt"), ("we use cloudsmith \(key)\n", "notes.txt"),
            ("runscope \(uuid)\n", "notes.txt"),   // blazemeter's rule, but not its first vendor word
            ("clockify \(FakeKeys.alnum(48))\n", "notes.txt"),   // a rule not tagged
            ("square \(FakeKeys.alnum(32))\n", "notes.txt"),
        ] {
            #expect(try Engine.scan(text, path: path).isEmpty, "\(path): \(text)")
        }
    }

    /// A name that glues the vendor's word to a label in one case (`acmecorpkey`, `acmecorpapikey`) has no word
    /// boundary for the normalizer to find: the rule's names are tried on it cut after the vendor word. The label
    /// must be one the names take; a vendor word inside another word, the vendor alone and other shapes give nothing.
    @Test func aVendorWordGluedToItsLabel() throws {
        try expectVendorRule("acmecorp", names: "(?:^|_)(?:api_?)?(?:key|token)s?$",
                             found: [("acmecorpkey=", "settings.env"), ("acmecorpapikey: ", "config.yaml"),
                                     ("const acmecorptoken = ", "app.js"), ("APP_ACMECORPKEY=", ".env"),
                                     ("services:\n  acmecorpkey: ", "values.yaml")],
                             nothing: ["acmecorp=", "acmecorpuser=", "acmecorpkeyid=", "xacmecorpkey="])
        // A built-in rule whose names are anchored at a word's start (uClassify's 12-character read key).
        let read = "Q7x" + FakeKeys.alnum(9)
        #expect(try Engine.scan("uclassifykey=\(read)\n", path: "config.env").map(\.ruleID) == ["uclassify-api-key"])
    }

    /// A name that writes the vendor's one word in camel case (`apiFlashKey`) is normalized with a cut at the capital
    /// (`api_flash_key`): the rule's names are tried on it with the pieces that spell the vendor word joined again.
    /// Pieces apart in the name (`api_flash_key`), pieces that spell another word (`apiFlasherKey`), a label the
    /// names do not take and values of another shape give nothing.
    @Test func aVendorWordWrittenInCamelCase() throws {
        try expectVendorRule("apiflash", names: "^(?:apiflash)(?:_api)?(?:_access)?(?:_key)?$",
                             found: [("apiFlashKey=", "settings.env"), ("apiFlash_key: ", "config.yaml"),
                                     ("const apiFlash = ", "app.js"), ("ApiFlashAccessKey=", ".env"),
                                     ("apiFlash:\n  key: ", "values.yaml")],
                             nothing: ["api_flash_key=", "api-flash=", "apiFlasherKey=", "myApiFlashKey=", "apiFlashUserKey="])
    }

    /// Scans with one named-value rule of `vendor` (`<vendor>-api-key`, its value 32 lowercase hex characters): each
    /// `found` prefix then a key (quoted in files other than `.env`) gives that rule's finding of the key, and
    /// nothing with a value a character short or in capitals; each `nothing` prefix gives nothing with any of them.
    private func expectVendorRule(_ vendor: String, names: String, found: [(String, String)], nothing: [String]) throws {
        let id = "\(vendor)-api-key"
        let session = try Engine.session("[[rules]]\nid = \"\(id)\"\ndescription = \"\(vendor) API key\"\n"
            + "provider = \"\(vendor)\"\nnames = ['''\(names)''']\nvendor = [\"\(vendor)\"]\n"
            + "value = '''[a-f0-9]{32}'''\nkeywords = [\"\(vendor)\"]\n")
        let key = FakeKeys.hex(32), wrong = [FakeKeys.hex(31), FakeKeys.hex(32).uppercased()]
        func text(_ prefix: String, _ value: String, _ path: String) -> String {
            prefix + (path.hasSuffix(".env") ? value : "\"\(value)\"") + (path.hasSuffix(".js") ? ";\n" : "\n")
        }
        for (prefix, path) in found {
            let got = try Engine.scan(text(prefix, key, path), path: path, session: session)
            #expect(got.map(\.ruleID) == [id] && got.first?.secret == key, "\(prefix): \(got.map(\.ruleID))")
            for value in wrong {
                #expect(try Engine.scan(text(prefix, value, path), path: path, session: session).isEmpty, "\(prefix)\(value)")
            }
        }
        for prefix in nothing {
            for value in [key] + wrong {
                #expect(try Engine.scan(text(prefix, value, "settings.env"), path: "settings.env", session: session).isEmpty,
                        "\(prefix)\(value)")
            }
        }
    }

    /// The rules tagged `vendor-then-value` name a vendor (a word of four letters or more first) and a value shape
    /// with no open repetition (fixed counts, a UUID, Rentman's bounded JWT), so a bare word before a value is
    /// judged by a precise shape, never by any value.
    @Test func rulesTakingAVendorsNameAloneHaveABoundedShape() throws {
        let tagged = try RuleLoader.builtIn().rules.filter { $0.tags.contains("vendor-then-value") }
        #expect(tagged.count == 16)
        for rule in tagged {
            let spec = try #require(rule.named, "\(rule.id)")
            #expect(spec.vendor.first.map { $0.count >= 4 } == true, "\(rule.id)")
            let shape = try #require(spec.value, "\(rule.id)")
            #expect(!shape.contains("+}") && !shape.contains("*") && !shape.contains(",}"), "\(rule.id): \(shape)")
        }
    }

    /// `framework-secret` takes `secret_key` alone nested under an application's or a framework's key, but not
    /// under another provider's: that is the provider's value (here not of its shape: only the generic rule's).
    @Test func aFrameworkSecretIsNotTakenUnderAProvidersKey() throws {
        let secret = FakeKeys.alnum(40)
        for parent in ["app", "production", "django:\n  settings"] {
            let found = try Engine.scan("\(parent):\n    secret_key: \"\(secret)\"\n", path: "config/values.yaml")
            #expect(found.map(\.ruleID) == ["framework-secret"], "\(parent): \(found.map(\.ruleID))")
        }
        for parent in ["amplitude", "stripe", "services:\n  amplitude"] {
            let found = try Engine.scan("\(parent):\n    secret_key: \"\(secret)\"\n", path: "config/values.yaml")
            #expect(!found.map(\.ruleID).contains("framework-secret") && !found.isEmpty, "\(parent): \(found.map(\.ruleID))")
        }
    }

    /// Highnote's and WorkOS's secret keys go on from `sk_live_` with base64 of `key_` and a digit (`a2V5Xz`),
    /// Stripe's never do. A name of the key by its mode after the vendor's (`HIGHNOTE_SK_LIVE`, no key, token or
    /// secret word near) is Highnote's, the whole value (past a `+`). Stripe's rules still take such a value: under a
    /// name that names no vendor (`API_KEY=`) nothing else would report it.
    @Test func aHighnoteKeyNamedByItsModeIsHighnotesAndStripesRuleStillTakesTheForm() throws {
        // (No vowels, p, w or d: no secret word in the value by chance.)
        let plain = Array("0123456789BCFGHJLMNQRSVXZbcfghjlmnqrsvxz")
        for mode in ["live", "test"] {
            let key = "sk_\(mode)_a2V5Xz" + FakeKeys.random(plain, 30) + "+" + FakeKeys.random(plain, 40)
            for name in ["HIGHNOTE_SK_\(mode.uppercased())", "highnote_prod_sk_\(mode)"] {
                let found = try Engine.scan("\(name)=\"\(key)\"\n", path: "config.env")
                #expect(found.contains { $0.ruleID == "highnote-secret-key" && $0.secret == key }, "\(name): \(found.map(\.ruleID))")
            }
            let stripeRule = mode == "live" ? "stripe-secret-key" : "stripe-test-key"
            let whole = "sk_\(mode)_a2V5Xz" + FakeKeys.random(plain, 70)
            for line in ["API_KEY=\(whole)", "STRIPE_SECRET_KEY=\(whole)", "\(whole)"] {
                let found = try Engine.scan(line + "\n", path: "config.env").map(\.ruleID)
                #expect(found.contains(stripeRule), "\(line.prefix(20)): \(found)")
            }
            let stripe = "sk_\(mode)_" + FakeKeys.alnum(32)
            #expect(try Engine.scan("STRIPE_SECRET_KEY=\(stripe)\n", path: "config.env").map(\.ruleID) == [stripeRule])
        }
        // The mode alone, after no vendor's word, names no Highnote key.
        let other = "sk_live_a2V5Xz" + FakeKeys.random(plain, 70)
        #expect(try Engine.scan("ACME_SK_LIVE=\"\(other)\"\n", path: "config.env").allSatisfy { $0.ruleID != "highnote-secret-key" })
    }

    @Test func theRuleMatchingMoreOfTheKeyPathWins() throws {
        // `mindtickle.secret.key`: its last word alone ("key") fits the API key's names, but "secret_key" fits
        // the secret key's: it is the secret half, and the two lines are one pair.
        let pair = FakeKeys.mindtickle()
        let found = try Engine.scan("# dev\nmindtickle.api.key = \(pair.apiKey)\nmindtickle.secret.key: \(pair.secretKey)\n",
                                    path: "app.properties")
        #expect(found.map(\.ruleID) == ["mindtickle-key-pair"], "\(found.map(\.ruleID))")
        #expect(found.first?.extra["api_key_line"] == "2" && found.first?.extra["secret_key_line"] == "3")
    }

    @Test func aMakiniJWTIsReportedAsMakini() throws {
        let token = FakeKeys.jwt(header: #"{"alg":"RS256","typ":"JWT"}"#, payload: #"{"sub":"4711","aud":"makini-link","exp":1900000000}"#)
        let found = try Engine.scan("MAKINI_ACCESS_TOKEN=\(token)\n")
        #expect(found.map(\.ruleID) == ["makini-token"])
        #expect(found.first?.extra["name"] == "MAKINI_ACCESS_TOKEN")
    }

    @Test func environmentDefaultsAreNamedAfterTheVariable() throws {
        let (api, secret) = FakeKeys.mindtickle()
        let text = """
        import os

        client = Mindtickle(
            api_key=os.environ.get(
                "MT_API_KEY",
                "\(api)",
            ),
            secret_key=os.getenv("MT_SECRET_KEY", "\(secret)"),
        )
        """
        let found = try Engine.scan(text, path: "sync/client.py")
        let pair = try #require(found.first)
        #expect(found.count == 1 && pair.ruleID == "mindtickle-key-pair")
        #expect(pair.extra["api_key_line"] == "6" && pair.extra["secret_key_line"] == "8")
    }

    @Test func aSplitMaintainXKeyIsJoinedAndReportedAtItsFirstLine() throws {
        let key = FakeKeys.maintainX()
        let third = key.count / 3
        let a = String(key.prefix(third)), b = String(key.dropFirst(third).prefix(third)), c = String(key.dropFirst(2 * third))
        let text = "// MaintainX\nconst token =\n  \"\(a)\" +\n  \"\(b)\" +\n  \"\(c)\";\n"
        let found = try Engine.scan(text, path: "src/client.js")
        let f = try #require(found.first { $0.ruleID == "maintainx-api-key" })
        #expect(f.line == 3 && f.secret == key && f.extra["jti"] != nil)
    }

    @Test func aVendorNamedOnlyByTheFilePathCounts() throws {
        let secret = FakeKeys.alnum(40)
        let found = try Engine.scan("PORT=8080\nWEBHOOK_SECRET=\(secret)\n", path: "services/Makini-bridge/.env")
        #expect(found.map(\.ruleID) == ["makini-webhook-secret"])
        #expect(try Engine.scan("PORT=8080\nWEBHOOK_SECRET=\(secret)\n", path: "services/bridge/.env").allSatisfy { $0.provider != "makini" })
    }

    @Test func inAHugeFileOnlyTheTextAroundAVendorWordIsRead() throws {
        let secret = FakeKeys.alnum(40)
        let filler = String(repeating: "int unrelated_function(void) { return 0; }\n", count: 12_000)
        let text = filler + "/* Makini link */\nstatic const char MAKINI_CLIENT_SECRET[] = \"\(secret)\";\n" + filler
        let found = try Engine.scan(text, path: "vendor/big.c")
        let f = try #require(found.first)
        #expect(found.count == 1 && f.ruleID == "makini-client-secret" && f.line == 12_002 && f.secret == secret)
    }

    @Test(arguments: [
        "MAKINI_CLIENT_SECRET=${MAKINI_CLIENT_SECRET}",
        "makini:\n  client_secret: \"{{ .Values.makini.clientSecret }}\"",
        "MAKINI_CLIENT_SECRET=vault:secret/data/makini#client_secret",
        "MAKINI_CLIENT_SECRET=op://ops/makini/client-secret",
        "makini:\n  client_secret: !Ref MakiniClientSecret",
        "makini:\n  client_secret: ENC[AES256_GCM,data:abcdefghijklmnop,iv:qrstuvwx,type:str]",
        "MAKINI_CLIENT_SECRET=********************",
        "MAKINI_CLIENT_SECRET=your-client-secret-here",
        "makini:\n  webhook_secret_sha256: " + FakeKeys.hex(64),
        "# https://api.makini.io\nSTRIPE_WEBHOOK_SECRET=" + FakeKeys.join("whsec", "_", FakeKeys.alnum(32)),
    ])
    func referencesAndOtherVendorsStayClean(text: String) throws {
        let found = try Engine.scan(text)
        #expect(!found.contains { $0.provider == "makini" }, "\(found.map(\.ruleID))")
    }

    /// A vendor whose keys are UUIDs is found in every syntax the named-value layer reads, not only where a
    /// pattern expects the vendor's word right before the key word.
    @Test(arguments: [
        ("const hapikey = '{uuid}';\n", "src/hubspot.js"),
        ("<?php\n$config = [\n  'hubspot' => [\n    'api_key' => '{uuid}',\n  ],\n];\n", "config/services.php"),
        ("{\"hubspot\": {\"auth\": {\"secret\": \"{uuid}\"}}}\n", "settings.json"),
        ("hubspot:\n  token: \"{uuid}\"\n", "values.yaml"),
        ("HUBSPOT_API_KEY={uuid}\n", ".env"),
        ("package crm\n\nconst hubspotKey string = \"{uuid}\"\n", "crm/client.go"),
        ("package crm\n\nvar (\n\thubspotToken string = \"{uuid}\"\n)\n", "crm/vars.go"),
    ])
    func aUUIDKeyIsFoundInAnySyntax(template: String, path: String) throws {
        let key = FakeKeys.uuid()
        let found = try Engine.scan(template.replacingOccurrences(of: "{uuid}", with: key), path: path)
        #expect(found.contains { $0.ruleID == "hubspot-api-key-named" && $0.secret == key }, "\(found.map(\.ruleID))")
    }

    /// Go declares a key with its type between name and value (`const discordSecret string = "..."`): found like
    /// the untyped declaration, for vendor rules and for the vendor-less password rule; a parameter or struct field
    /// of type string names no value. So are the other languages' forms below.
    @Test func typedDeclarationsAndOtherLanguagesFormsAreFound() throws {
        let secret = FakeKeys.hex(64), password = FakeKeys.alnum(12) + "#" + FakeKeys.alnum(6)
        for text in ["const discordSecret string = \"\(secret)\"\n", "var discordToken string = \"\(secret)\"\n",
                     "var (\n\tdiscordSecret   string = \"\(secret)\"\n)\n"] {
            let found = try Engine.scan("package bot\n\n" + text, path: "bot/config.go")
            #expect(found.contains { $0.ruleID == "discord-secret-named" && $0.secret == secret }, "\(text): \(found.map(\.ruleID))")
        }
        let typed = try Engine.scan("package db\n\nconst dbPassword string = \"\(password)\"\n", path: "db/conn.go")
        #expect(typed.contains { $0.secret == password }, "\(typed.map(\.ruleID))")
        // Other languages' assignments and calls that name a value (R, Visual Basic, PowerShell, C arrays, environment
        // maps, setter calls, Terraform variables).
        for (text, path) in [("discord_secret <- \"\(secret)\"\n", "bot.R"), ("Dim discordSecret As String = \"\(secret)\"\n", "Bot.vb"),
                             ("$env:DISCORD_SECRET = \"\(secret)\"\n", "setup.ps1"), ("constexpr char kDiscordSecret[] = \"\(secret)\";\n", "bot.cpp"),
                             ("os.environ[\"DISCORD_SECRET\"] = \"\(secret)\"\n", "conftest.py"), ("os.Setenv(\"DISCORD_SECRET\", \"\(secret)\")\n", "main_test.go"),
                             ("define('DISCORD_SECRET', '\(secret)');\n", "wp-config.php"), ("System.setProperty(\"discord.secret\", \"\(secret)\");\n", "Bot.java"),
                             ("variable \"discord_secret\" {\n  default = \"\(secret)\"\n}\n", "variables.tf"),
                             ("discord {\n  secret = \"\(secret)\"\n}\n", "bot.hcl"),
                             ("<properties>\n  <entry key=\"discord.secret\">\(secret)</entry>\n</properties>\n", "bot.xml"),
                             ("env:\n  - name: DISCORD_SECRET\n    value: \"\(secret)\"\n", "deploy/bot.yaml"),
                             ("discord:\n  secret: |\n    \(secret)\n  guild: 42\n", "config/bot.yml"),
                             ("DISCORD = ENV.fetch(\"DISCORD_SECRET\") { \"\(secret)\" }\n", "config/initializers/bot.rb"),
                             ("var cfg = new Dictionary<string, string> { { \"DiscordSecret\", \"\(secret)\" } };\n", "Bot.cs"),
                             ("val s = System.getenv(\"DISCORD_SECRET\") ?: \"\(secret)\"\n", "Bot.kt"),
                             ("resource \"discord_bot\" \"main\" {\n  secret = \"\(secret)\"\n}\n", "main.tf"),
                             ("{\"containerDefinitions\": [{\"environment\": [{\"name\": \"DISCORD_SECRET\", \"value\": \"\(secret)\"}]}]}\n", "task-definition.json"),
                             ("import discord\n\nclient = discord.Client(secret=\"\(secret)\")\n", "bot.py"),
                             ("const bot = new Discord({ secret: \"\(secret)\" });\n", "bot.js"),
                             ("Discord.configure do |config|\n  config.secret = \"\(secret)\"\nend\n", "config/initializers/discord.rb"),
                             ("Discord.configure { |c| c.secret = '\(secret)' }\n", "config/initializers/discord.rb"),
                             ("s := discord.New(discord.Config{Secret: \"\(secret)\"})\n", "bot/main.go"),
                             ("android {\n  defaultConfig {\n    buildConfigField \"String\", \"DISCORD_SECRET\", \"\\\"\(secret)\\\"\"\n  }\n}\n", "app/build.gradle")] {
            let found = try Engine.scan(text, path: path)
            #expect(found.contains { $0.ruleID == "discord-secret-named" && $0.secret == secret }, "\(path): \(found.map(\.ruleID))")
        }
        let field = try Engine.scan("package bot\n\ntype Discord struct {\n\tdiscordSecret string\n}\n\nfunc connect(discordSecret string) {}\n", path: "bot/types.go")
        #expect(field.isEmpty, "\(field.map(\.ruleID))")
    }

    /// A UUID key under the name `key` (also the name of `{key, value}` pairs) is the key whatever its first
    /// digit: one starting with a letter was once taken for the name of the next value and lost.
    @Test func aUUIDUnderKeyIsAKeyWhateverItStartsWith() throws {
        for first in ["a", "f", "0", "9"] {
            let key = first + String(FakeKeys.uuid().dropFirst())
            for text in ["loggly key = '\(key)' url = 'https://logs-01.loggly.com/inputs/'\n", "loggly key = '\(key)'\n"] {
                let found = try Engine.scan(text, path: "notes/logging.py")
                #expect(found.contains { $0.ruleID == "loggly-customer-token" && $0.secret == key }, "\(text): \(found.map(\.ruleID))")
            }
        }
        // The pair form still names the next value.
        let pair = NamedValues.extract("[{\"key\": \"loggly_api_token\", \"value\": \"x\"}]")
        #expect(pair.contains { $0.name == "loggly_api_token" && $0.value == "x" }, "\(pair)")
    }

    /// UUIDs are still passed over by the rules that do not ask for one: a vendor's rule of another shape, and the
    /// rules of any vendor.
    @Test func aUUIDIsJudgedOnlyByTheRulesThatAskForOne() throws {
        let id = FakeKeys.uuid()
        for text in ["MAKINI_CLIENT_SECRET=\(id)\n", "makini:\n  webhook_secret: \"\(id)\"\n", "API_SECRET=\(id)\n", "db:\n  password: \"\(id)\"\n"] {
            let found = try Engine.scan(text, path: "config.yaml")
            #expect(found.isEmpty, "\(text): \(found.map(\.ruleID))")
        }
        // A UUID-shaped value that is not hexadecimal is not a UUID key.
        let fake = FakeKeys.random(Array("ghijklmnopqrstuvwxyz"), 8) + "-" + FakeKeys.random(Array("ghijklmnopqrstuvwxyz"), 4) + "-4" + FakeKeys.random(Array("0123456789"), 3) + "-a" + FakeKeys.random(Array("0123456789"), 3) + "-" + FakeKeys.random(Array("ghijklmnopqrstuvwxyz0123456789"), 12)
        #expect(try Engine.scan("HUBSPOT_API_KEY=\(fake)\n").allSatisfy { $0.ruleID != "hubspot-api-key-named" })
    }
}
