@testable import SecretScanner
import TestSupport
import Testing

/// A gate word whose rules all give their value's shape (Column: `live_` or `test_` and 27 letters and digits)
/// opens the named-value layer only where the input holds that shape, as written or as the layer rebuilds its
/// values (escapes decoded, literals joined, `.properties` lines continued). Code that only talks about columns
/// is not read; a Column key is found in every form the layer reads.
@Suite struct ValueProbeTests {
    func scan(_ text: String, path: String, probes: Bool = true) throws -> (gateOpen: Bool, rules: [String]) {
        let scanner = BufferScanner(Engine.builtIn.rules, fingerprinter: Engine.builtIn.fingerprinter)
        scanner.probesValues = probes
        let column = try #require(scanner.compiled.gateWords.firstIndex(of: Array("column".utf8)))
        let found = try Array(text.utf8).withUnsafeBytes { try scanner.scan($0, InputContext(path: path)) }
        return (scanner.gateHits[column], found.map(\.ruleID))
    }

    @Test func codeThatOnlyTalksAboutColumnsIsNotRead() throws {
        // The word passes its other conditions here (named arguments, a key word near), so only the probe closes it.
        let code = """
            let column = ColumnDefinition(name: name, type: type)
            if inPrimaryKeyBody {
                column.notNull()
            }
            let token = String(repeating: "x", count: 3)

            """
        #expect(try scan(code, path: "Sources/Schema.swift", probes: false).gateOpen)
        #expect(try !scan(code, path: "Sources/Schema.swift").gateOpen)
        // The gate words and their places stay consistent after the probe closes some.
        let scanner = BufferScanner(Engine.builtIn.rules, fingerprinter: Engine.builtIn.fingerprinter)
        _ = try Array(code.utf8).withUnsafeBytes { try scanner.scan($0, InputContext(path: "Sources/Schema.swift")) }
        #expect(scanner.hitGates.sorted() == scanner.gateHits.indices.filter { scanner.gateHits[$0] })
    }

    /// An input over ``BufferScanner/largestRebuilt`` is not copied to be rebuilt: where the shape does not occur as
    /// written, the gate word stays open (as before the probe), rather than the scan holding a second copy.
    @Test func aLargeInputIsNotRebuiltAndItsGateStaysOpen() throws {
        let code = """
            let column = ColumnDefinition(name: name, type: type)
            if inPrimaryKeyBody {
                column.notNull()
            }

            """
        let filler = String(repeating: "// --------------------------------------------------------------\n", count: BufferScanner.largestRebuilt / 64 + 1)
        #expect(try !scan(code + "// short\n", path: "Sources/Schema.swift").gateOpen)
        #expect(try scan(code + filler, path: "Sources/Schema.swift").gateOpen)
    }

    @Test func aKeyAsWrittenOpensTheGate() throws {
        let key = "live_" + FakeKeys.alnum(27)
        let found = try scan("let COLUMN_API_KEY = \"\(key)\"\n", path: "Sources/Keys.swift")
        #expect(found.gateOpen)
        #expect(found.rules.contains("column-api-key"))
    }

    /// Each of these is found only through the rebuilt text: the shape does not occur in the bytes as written.
    @Test(arguments: ["joined", "implicit", "prefixed", "continued", "escaped", "constants"])
    func aKeyTheLayerRebuildsIsStillFound(form: String) throws {
        let tail = FakeKeys.alnum(27)
        let head = String(tail.prefix(10)), rest = String(tail.dropFirst(10))
        let (text, path): (String, String)
        switch form {
        case "joined": (text, path) = ("// column settings\nlet columnApiKey = \"live_\(head)\" + \"\(rest)\"\n", "Keys.swift")
        case "implicit": (text, path) = ("COLUMN_API_KEY = (\"live_\(head)\"\n                  \"\(rest)\")\n", "keys.py")
        case "prefixed": (text, path) = ("COLUMN_API_KEY = (\"live_\(head)\" f\"\(rest)\")\n", "keys.py")
        case "continued": (text, path) = ("column.api.key=live_\(head)\\\n    \(rest)\n", "app.properties")
        case "escaped": (text, path) = ("{\"column_api_key\": \"live\\u005f\(tail)\"}\n", "config.json")
        default: (text, path) = ("const HEAD = \"live_\(head)\";\nconst TAIL = \"\(rest)\";\nconst column_api_key = `${HEAD}${TAIL}`;\n", "keys.js")
        }
        let written = Array(text.utf8)
        #expect(!written.indices.contains { written[$0...].starts(with: Array(("live_" + tail).utf8)) }, "\(form): the key is not written whole")
        // (Whether the gate opened is not read here: the values rebuilt are scanned again inside, which leaves the
        // scanner's gate words those of the last text it read.)
        #expect(try scan(text, path: path).rules.contains("column-api-key"), "\(form)")
    }

    /// A shape written with anchors (`^...$`, as a user's `--config` may) means the value's start and end: its
    /// gate word is not probed (``ValueProbes/anchored(_:)``), and the key, on a line of its own in the middle of
    /// the file, is found.
    @Test func aShapeWithAnchorsIsNotProbed() throws {
        #expect(ValueProbes.anchored("^zq_[a-z0-9]{20}$"))
        #expect(ValueProbes.anchored("zq_[a-z0-9]{20}$"))
        #expect(!ValueProbes.anchored("zq_[^\\s]{20}"))
        #expect(!ValueProbes.anchored("zq\\$[a-z]{20}"))
        let session = try Engine.session("""
            [[rules]]
            id = "zorbl-named-token"
            provider = "zorbl"
            names = ['''(?:^|_)(?:key|token)$''']
            vendor = ["zorbl"]
            value = '''zq_[a-z0-9]{20}$'''
            keywords = ["zorbl"]
            """)
        let scanner = BufferScanner(session.rules, fingerprinter: session.fingerprinter)
        let value = "zq_" + FakeKeys.random(Array("abcdefghijklmnopqrstuvwxyz0123456789"), 20)
        let text = Array("# settings\nZORBL_TOKEN=\(value)\nDEBUG=1\n".utf8)
        let found = try text.withUnsafeBytes { try scanner.scan($0, InputContext(path: "app.env")) }
        #expect(found.map(\.ruleID) == ["zorbl-named-token"])
    }

    @Test func derivedTextJoinsLiteralsAndDecodesEscapes() {
        func make(_ text: String, properties: Bool = false) -> DerivedText.Outcome {
            Array(text.utf8).withUnsafeBytes { DerivedText.make($0, properties: properties) }
        }
        func text(_ s: String) -> DerivedText.Outcome { .text(Array(s.utf8)) }
        #expect(make("x = \"abc\"\n") == .same)
        #expect(make("x = \"\"\ny = 'q'\n") == .same)   // an empty string is no join
        #expect(make("x = \"ab\" + \"cd\"") == text("x = \"abcd\""))
        #expect(make("x = \"ab\"\n  \"cd\"") == text("x = \"abcd\""))
        #expect(make("x = 'ab' . 'cd' . 'ef'") == text("x = 'abcdef'"))
        #expect(make("x = (\"ab\" f\"cd\")") == text("x = (\"abcd\")"))
        // Escapes of a line break, a tab, a backslash or a quote stay as written (no value shape holds those bytes).
        #expect(make("u = \"a\\/b\\u005fc\\\\d\\\"e\"") == text("u = \"a/b_c\\\\d\\\"e\""))
        #expect(make("printf(\"%s\\n\\t\\\"q\\\" \\\\ \\'\", x);\n") == .same)
        #expect(make("s = \"a\\rb\"") == text("s = \"ab\""))
        // `\U` is no escape to the tokenizer (its value keeps the letter and the digits after it): neither here.
        #expect(make("s = \"k\\U00000041\"") == text("s = \"kU00000041\""))
        #expect(make("k=ab\\\n   cd\n", properties: true) == text("k=abcd\n"))
        #expect(make("k=ab\\\r\n   cd\n") == text("k=ab   cd\n"))
        #expect(make("`${A}${B}`") == .unknown)
        #expect(make("f\"{A}{B}\"") == .unknown)
    }

    /// The probe is a superset of what a shape matches: any of the rules' shapes, not inside a run of letters
    /// and digits (the bytes next to a value are a quote, a blank or an operator).
    @Test func theProbePatternBoundsTheShapesByNonAlphanumerics() {
        #expect(ValueProbes.pattern(["a[0-9]{3}", "b+"]) == "(?:^|[^A-Za-z0-9])(?:(?:a[0-9]{3})|(?:b+))(?:[^A-Za-z0-9]|$)")
        #expect(ValueProbes.pattern(["(?<id>x)"]) == "(?:^|[^A-Za-z0-9])(?:(?:(x)))(?:[^A-Za-z0-9]|$)")
    }
}
