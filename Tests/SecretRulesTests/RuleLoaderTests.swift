@testable import SecretRules
import SystemSupport
import Testing

@Suite struct RuleLoaderTests {
    @Test func parsesOurFieldsAndGitleaksFields() throws {
        let text = """
            title = "t"
            [[rules]]
            id = "demo-token"
            description = "Demo token"
            provider = "demo"
            severity = "high"
            regex = '''demo_([a-z0-9]{8})'''
            secretGroup = 1
            keywords = ["DEMO_"]
            entropy = 2.5
            validator = "not-placeholder"
            examples = ["x = demo_{{lower:8}}"]
            negative_examples = ["x = demo_"]
            [[rules.allowlists]]
            regexTarget = "line"
            regexes = ['''fixture''']
            condition = "AND"
            paths = ['''tests/''']
            """
        let set = try RuleLoader.parse(text, file: "demo.toml")
        let rule = try #require(set.rules.first)
        #expect(rule.id == "demo-token" && rule.provider == "demo" && rule.severity == .high)
        #expect(rule.secretGroup == 1 && rule.keywords == ["demo_"] && rule.entropy == 2.5)
        #expect(rule.examples.count == 1 && rule.negativeExamples.count == 1 && rule.validator == "not-placeholder")
        #expect(rule.allowlists.first?.regexTarget == .line && rule.allowlists.first?.condition == .and)
        #expect(rule.source == RuleSource(file: "demo.toml", line: 2))
        #expect(set.warnings.isEmpty)
    }

    @Test func malformedTOMLNamesFileAndLine() {
        let text = "[[rules]]\nid = \"a\"\nregex = '''x'''\n\n[[rules]]\nid = \"b\nregex = 'y'\n"
        do {
            _ = try RuleLoader.parse(text, file: "broken.toml")
            Issue.record("a malformed file loaded")
        } catch {
            #expect(error.file == "broken.toml")
            #expect(error.line == 6)
            #expect(error.description.hasPrefix("broken.toml:6:"))
        }
    }

    @Test func duplicateIDsAndMissingPatternsAreErrorsWithLines() {
        #expect(throws: RulesError.self) {
            try RuleLoader.parse("[[rules]]\nid = \"a\"\nregex = 'x'\n[[rules]]\nid = \"a\"\nregex = 'y'\n", file: "d.toml")
        }
        do {
            _ = try RuleLoader.parse("[[rules]]\nid = \"a\"\nregex = 'x'\n\n[[rules]]\nid = \"b\"\n", file: "m.toml")
            Issue.record("a rule without regex or path loaded")
        } catch {
            #expect(error.line == 5)
            #expect(error.message.contains("'b'"))
        }
    }

    @Test func unsupportedFeaturesGiveOneWarningThatNamesThem() throws {
        let text = """
            [[rules]]
            id = "a"
            regex = 'x'
            skipReport = true
            [[rules]]
            id = "b"
            regex = 'y'
            smartFilter = true
            """
        let set = try RuleLoader.parse(text, file: "u.toml")
        #expect(set.rules.count == 2)
        #expect(set.warnings.count == 1)
        let warning = try #require(set.warnings.first)
        #expect(warning.contains("skipReport") && warning.contains("smartFilter"))
    }

    @Test func unknownSeverityIsAnError() {
        #expect(throws: RulesError.self) {
            try RuleLoader.parse("[[rules]]\nid = \"a\"\nregex = 'x'\nseverity = \"urgent\"\n", file: "s.toml")
        }
    }

    @Test func builtInRulesAreEmbeddedAndWellFormed() throws {
        let set = try RuleLoader.builtIn()
        #expect(set.warnings.isEmpty)
        let ids = set.rules.map(\.id)
        #expect(Set(ids).count == ids.count, "rule ids are unique")
        for id in ["maintainx-api-key", "mindtickle-api-key", "mindtickle-secret-key", "makini-client-secret", "generic-secret-assignment"] {
            #expect(ids.contains(id), "built-in rule \(id)")
        }
        for rule in set.rules {
            #expect(rule.examples.count >= 2 && rule.negativeExamples.count >= 2, "\(rule.id) has examples both ways")
            #expect(rule.source.file.hasPrefix("rules/") && rule.source.line > 0)
        }
    }

    @Test func builtInCatalogCoversAtLeast150Providers() throws {
        let set = try RuleLoader.builtIn()
        let providers = Set(set.rules.map(\.provider))
        #expect(providers.count >= 150, "\(providers.count) providers")
        let files = Set(set.rules.map(\.source.file))
        for file in ["hosting", "databases", "devtools", "email", "observability", "saas", "identity"] {
            #expect(files.contains("rules/\(file).toml"), "rules/\(file).toml is embedded")
        }
        for provider in ["digitalocean", "vault", "doppler", "newrelic", "sentry", "grafana", "groq", "rubygems", "linear", "notion"] {
            #expect(providers.contains(provider), "provider \(provider)")
        }
    }

    @Test func builtInCatalogCarriesTheAToLProviderFiles() throws {
        let set = try RuleLoader.builtIn()
        let files = Set(set.rules.map(\.source.file))
        for category in ["ai", "business", "data", "devtools", "finance", "media"] {
            #expect(files.contains("rules/catalog-a-l-\(category).toml"), "rules/catalog-a-l-\(category).toml is embedded")
        }
        let providers = Set(set.rules.map(\.provider))
        #expect(providers.count >= 550, "\(providers.count) providers")
        for provider in ["finnhub", "coinbase", "confluent", "kraken", "kucoin", "datastax", "infracost", "lokalise", "linkedin", "gitter"] {
            #expect(providers.contains(provider), "provider \(provider)")
        }
        let pairs = Set(set.pairs.map(\.id))
        for pair in ["confluent-api-key-pair", "kraken-key-pair", "kucoin-key-pair", "gemini-key-pair", "exoscale-key-pair"] {
            #expect(pairs.contains(pair), "pair \(pair)")
        }
    }

    @Test func gitleaksProviderIsInferredFromTheID() throws {
        let set = try RuleLoader.parse("[[rules]]\nid = \"github-pat\"\nregex = 'ghp'\n", file: "g.toml")
        #expect(set.rules.first?.provider == "github")
        #expect(set.rules.first?.severity == .medium)
    }

    @Test func templatesExpandDeterministicallyAndRejectUnknownNames() throws {
        var a = ExampleTemplate(seed: "r"), b = ExampleTemplate(seed: "r")
        let x = try a.expand("k={{hex:40}} {{alnum:8}}")
        #expect(x == (try b.expand("k={{hex:40}} {{alnum:8}}")))
        #expect(x.count == 2 + 40 + 1 + 8)
        #expect(x.dropFirst(2).prefix(40).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(throws: TemplateError.self) { try a.expand("{{nonsense:3}}") }
        #expect(try a.expand("${{ secrets.X }} {{bearerToken}}", lenient: true) == "${{ secrets.X }} {{bearerToken}}")
    }
}

@Suite struct EmbeddedRulesTests {
    /// SwiftPM plans the embedding step once: a rules file added or removed later is only picked up after
    /// the package is planned again (`touch Package.swift`). This test catches a stale build.
    @Test func theEmbeddedFilesAreExactlyTheRulesFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules")
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".toml") }.sorted()
        let embedded = RuleLoader.builtInFiles().map(\.name).sorted()
        #expect(embedded == onDisk, "rules/ changed since the package was planned: run `touch Package.swift` and build again")
        for (name, text) in RuleLoader.builtInFiles() {
            let current = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(text == current, "\(name) is embedded from an older version")
        }
    }
}

import Foundation

@Suite struct RuleSetCacheTests {
    @Test func theCachedBuiltInRulesAreTheParsedOnes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kw-rules-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let parsed = try RuleLoader.parseBuiltIn()
        RuleSetCache.store(parsed, in: dir)
        let cached = try #require(RuleSetCache.load(from: dir))
        #expect(cached.rules.count == parsed.rules.count && cached.allowlists.count == parsed.allowlists.count)
        for (a, b) in zip(parsed.rules, cached.rules) {
            #expect(a.id == b.id && a.regex == b.regex && a.secretGroup == b.secretGroup && a.keywords == b.keywords)
            #expect(a.entropy == b.entropy && a.path == b.path && a.validator == b.validator && a.severity == b.severity)
            #expect(a.examples == b.examples && a.negativeExamples == b.negativeExamples && a.source == b.source)
            #expect(a.allowlists.map(\.regexes) == b.allowlists.map(\.regexes) && a.allowlists.map(\.paths) == b.allowlists.map(\.paths))
            #expect(a.named == b.named && a.prefilter == b.prefilter)
        }
        #expect(cached.rules.contains { $0.prefilter == .keywords }, "the prefilter mode travels through the cache")
        #expect(cached.rules.contains { $0.named?.vendorScope == .near }, "the named-value fields travel through the cache")
        // The examples stay encoded until read, and read back as they were written: the set's digest (its
        // whole serialised form, examples included) is the parsed set's.
        #expect(cached.rules.allSatisfy { if case .encoded = $0.exampleTexts { true } else { false } })
        #expect(cached.digest == parsed.digest)
        // A damaged cache is not trusted.
        let file = dir.appendingPathComponent(RuleSetCache.name())
        var bytes = try Data(contentsOf: file)
        try bytes.prefix(bytes.count - 3).write(to: file)
        #expect(RuleSetCache.load(from: dir) == nil)
        // Nor one that parses but was not written by this user's keywarden (its HMAC does not check out).
        RuleSetCache.store(parsed, in: dir)
        bytes = try Data(contentsOf: file)
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: file)
        #expect(RuleSetCache.load(from: dir) == nil)
    }
}

extension RuleSetCacheTests {
    @Test func aCacheWhoseExamplesRunPastItsEndIsNotTrusted() throws {
        var rule = Rule(id: "acme-key", regex: "acme_[a-z]{8}")
        rule.examples = ["acme_abcdefgh"]
        rule.negativeExamples = ["acme_short", "nothing here"]
        var w = ByteWriter()
        w.u32(RuleSetCache.formatVersion)
        w.ruleSet(RuleSet(rules: [rule]))
        var reader = ByteReader(w.bytes)
        let version = reader.u32(), decoded = reader.ruleSet()
        #expect(version == RuleSetCache.formatVersion)
        let whole = try #require(decoded)
        #expect(whole.rules.map(\.examples) == [["acme_abcdefgh"]] && whole.rules.map(\.negativeExamples) == [["acme_short", "nothing here"]])
        // The length of the second negative example, made to run past the end of the file: the record is
        // refused when the cache is read (not when a check reads the examples), so the set is parsed again.
        let text = Array("nothing here".utf8)
        let at = try #require((0...(w.bytes.count - text.count)).first { Array(w.bytes[$0..<($0 + text.count)]) == text }) - 4
        var damaged = w.bytes
        damaged.replaceSubrange(at..<(at + 4), with: [0xF0, 0xFF, 0xFF, 0x00])
        var bad = ByteReader(damaged)
        _ = bad.u32()
        let refused = bad.ruleSet()
        #expect(refused == nil)
    }
}

@Suite struct NamedRuleLoadingTests {
    @Test func namedFieldsAreReadAndKnown() throws {
        let toml = """
        [[rules]]
        id = "acme-webhook-secret"
        names = ['(?:^|_)webhook_secret$']
        vendor = ["Acme"]
        vendor_scope = "near"
        vendor_lines = 8
        value = '[A-Za-z0-9]{16,64}'
        value_classes = 2
        keywords = ["acme"]
        """
        let set = try RuleLoader.parse(toml, file: "t.toml")
        let named = try #require(set.rules.first?.named)
        #expect(named == NamedSpec(names: ["(?:^|_)webhook_secret$"], vendor: ["acme"], vendorScope: .near, vendorLines: 8,
                                   value: "[A-Za-z0-9]{16,64}", valueClasses: 2))
        #expect(set.warnings.isEmpty, "named-value fields are not reported as unsupported: \(set.warnings)")
    }

    @Test(arguments: [
        ("id = \"a\"\nvalue = 'x'", "needs 'names'"),
        ("id = \"a\"\nnames = ['x']\nvendor_scope = \"far\"", "vendor_scope"),
        ("id = \"a\"\nnames = ['x']\nregex = 'y'", "both 'regex' and 'names'"),
        ("id = \"a\"\nnames = ['x']\nvalue_classes = 9", "value_classes"),
        // `vendor-then-value` lets a vendor's first word alone, before a value in notes and logs, name the value:
        // refused on a rule whose word is short or whose value has no exact shape (issue 17).
        ("id = \"a\"\nregex = 'zorblax_[a-z0-9]{32}'\ntags = [\"vendor-then-value\"]", "'a': tag 'vendor-then-value' refused: the tag is for named-value rules"),
        ("id = \"a\"\n\(tagged)\nvalue = '[a-z0-9]{32}'", "it needs 'vendor'"),
        ("id = \"a\"\n\(tagged)\nvendor = [\"zbx\", \"zorblax\"]\nvalue = '[a-z0-9]{32}'", "first vendor word 'zbx' has fewer than 4 letters"),
        ("id = \"a\"\n\(tagged)\nvendor = [\"zorblax\"]", "it needs 'value'"),
        ("id = \"a\"\n\(tagged)\nvendor = [\"zorblax\"]\nvalue = 'zb_[a-z0-9]+'", "no upper bound ([a-z0-9]+)"),
        ("id = \"a\"\n\(tagged)\nvendor = [\"zorblax\"]\nvalue = '[a-z0-9]{8}.*'", "no upper bound (.*)"),
        ("id = \"a\"\n\(tagged)\nvendor = [\"zorblax\"]\nvalue = '[a-z0-9]{20,}'", "no upper bound ([a-z0-9]{20,})"),
    ])
    func badNamedRulesAreErrorsWithTheirLine(body: String, message: String) {
        expectRuleError(body, message)
    }

    /// A named rule's fields with the tag `vendor-then-value`, for the rule's vendor and value to complete.
    static let tagged = "names = ['key$']\nkeywords = [\"zorblax\"]\ntags = [\"payments\", \"vendor-then-value\"]"

    @Test func vendorThenValueIsTakenOnACoinedWordAndAnExactShapeAsOnTheBuiltInRules() throws {
        let set = try RuleLoader.parse("[[rules]]\nid = \"a\"\n\(Self.tagged)\nvendor = [\"zorblax\"]\nvalue = '[A-Za-z0-9+/]{40,44}={0,2}'\n", file: "t.toml")
        #expect(set.rules.first?.tags == ["payments", "vendor-then-value"])
        let builtIn = try RuleLoader.parseBuiltIn().rules.filter { $0.tags.contains(Rule.vendorThenValue) }
        #expect(!builtIn.isEmpty && builtIn.allSatisfy { RuleLoader.vendorThenValueProblem($0.named) == nil })
    }

    @Test func anUnknownFieldIsStillWarnedAbout() throws {
        let set = try RuleLoader.parse("[[rules]]\nid = \"a\"\nnames = ['x']\nvendors = ['acme']\n", file: "t.toml")
        #expect(set.warnings.contains { $0.contains("vendors") })
    }
}

@Suite struct PrefilterModeLoadingTests {
    @Test func aRuleMayBeLookedForOnlyWhereItsKeywordsOccur() throws {
        let set = try RuleLoader.parse("[[rules]]\nid = \"a\"\nregex = 'x[0-9]{8}'\nkeywords = [\"Zorbl\"]\nprefilter = \"keywords\"\n", file: "t.toml")
        #expect(set.rules.first?.prefilter == .keywords)
        #expect(set.warnings.isEmpty, "prefilter is a known field: \(set.warnings)")
        let plain = try RuleLoader.parse("[[rules]]\nid = \"a\"\nregex = 'x[0-9]{8}'\nkeywords = [\"zorbl\"]\n", file: "t.toml")
        #expect(plain.rules.first?.prefilter == .pattern)
    }

    @Test(arguments: [
        ("id = \"a\"\nregex = 'x'\nkeywords = [\"k\"]\nprefilter = \"sometimes\"", "prefilter must be"),
        ("id = \"a\"\nregex = 'x'\nprefilter = \"keywords\"", "needs 'keywords'"),
        ("id = \"a\"\nregex = 'x'\nkeywords = [\"cl\u{E9}\"]\nprefilter = \"keywords\"", "needs 'keywords' (ASCII)"),
        ("id = \"a\"\nnames = ['x']\nkeywords = [\"k\"]\nprefilter = \"keywords\"", "needs a 'regex'"),
        ("id = \"a\"\nregex = 'x'\npath = 'y'\nkeywords = [\"k\"]\nprefilter = \"keywords\"", "no 'path'"),
    ])
    func aBadPrefilterIsAnErrorWithItsLine(body: String, message: String) {
        expectRuleError(body, message)
    }
}

/// Loading one rule of `body` fails at its line (1) with a message holding `message`.
func expectRuleError(_ body: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(sourceLocation: sourceLocation) {
        _ = try RuleLoader.parse("[[rules]]\n" + body + "\n", file: "t.toml")
    } throws: { error in
        let e = error as? RulesError
        return e?.line == 1 && (e?.message.contains(message) ?? false)
    }
}
