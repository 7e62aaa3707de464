import Foundation
import Hashing
import SecretRules
import SecretScanner

/// Built-in rules compiled once for the whole test run (prefilter cache in a temporary folder).
enum Engine {
    static let cache = FileManager.default.temporaryDirectory.appendingPathComponent("keywarden-tests-cache")

    static let builtIn: ScanSession = {
        // A failure here fails every test that uses it, with the loader's message.
        let rules = try! CompiledRules(try! RuleLoader.builtIn(), cacheDirectory: cache)
        return ScanSession(rules: rules, fingerprinter: Fingerprinter(key: nil), options: ScanOptions())
    }()

    static func session(_ toml: String, options: ScanOptions = ScanOptions()) throws -> ScanSession {
        let rules = try CompiledRules(try RuleLoader.parse(toml, file: "test.toml"), cacheDirectory: cache)
        return ScanSession(rules: rules, fingerprinter: Fingerprinter(key: nil), options: options)
    }

    static func scan(_ text: String, path: String = "config.env", session: ScanSession = builtIn) throws -> [Finding] {
        try session.scanBytes(Array(text.utf8), context: InputContext(path: path))
    }
}
