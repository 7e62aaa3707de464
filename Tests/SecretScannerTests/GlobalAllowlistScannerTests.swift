import SecretRules
@testable import SecretScanner
import TestSupport
import Testing

/// One scanner asks whether a global allowlist takes a path out several times per file (before reading it, in
/// `scan`, in `pathFindings`) and remembers the last answer: the answer for one path never carries over to the next.
/// A file a rule flags by its name and that also holds a key gives both findings (the name's finding, placed at
/// 1:1 with the path as its value, was merged with a key that began within the path's length of the start).
@Suite struct GlobalAllowlistScannerTests {
    static let toml = """
        [[rules]]
        id = "zorbl-key"
        provider = "zorbl"
        regex = '''\\b(zbl_[A-Za-z0-9]{28})\\b'''
        keywords = ["zbl_"]
        entropy = 3.0

        [[rules]]
        id = "zorbl-keystore"
        provider = "zorbl"
        path = '''\\.zks$'''

        [[allowlists]]
        paths = ['''^vendor/''']
        """

    @Test func oneScannerAnswersEachPathForItself() throws {
        let session = try Engine.session(Self.toml)
        let scanner = BufferScanner(session.rules, fingerprinter: session.fingerprinter)
        let key = "zbl_" + FakeKeys.alnum(28)
        let text = Array("ZORBL=\(key)\n".utf8)
        let paths = ["vendor/a.env", "src/a.env", "src/a.env", "vendor/b.env", "vendor/b.env", "src/b.env", "vendor/c.zks", "src/c.zks"]
        for path in paths {
            let allowed = path.hasPrefix("vendor/")
            #expect(scanner.globallyAllowed(path) == allowed, "\(path)")
            let found = try text.withUnsafeBytes { (buffer) throws(ScanError) in try scanner.scan(buffer, InputContext(path: path)) }
            let expected = allowed ? [] : (path.hasSuffix(".zks") ? ["zorbl-key", "zorbl-keystore"] : ["zorbl-key"])
            #expect(found.map(\.ruleID).sorted() == expected, "\(path): \(found.map(\.ruleID))")
            #expect(scanner.pathFindings(path).isEmpty == (allowed || !path.hasSuffix(".zks")), "\(path)")
        }
    }

    /// A rule with both a pattern and a path applies to the paths its path pattern takes, whatever order a scanner
    /// meets them in (a history scan reads many versions of each path, interleaved): the answer it keeps per path
    /// is that path's own.
    @Test func aPathScopedPatternRuleAppliesToItsPathsInAnyOrder() throws {
        let session = try Engine.session("""
            [[rules]]
            id = "zorbl-env-secret"
            provider = "zorbl"
            regex = '''\\b(zsec_[A-Za-z0-9]{30})\\b'''
            path = '''\\.zenv$'''
            entropy = 3.0
            """)
        let scanner = BufferScanner(session.rules, fingerprinter: session.fingerprinter)
        let text = Array("SECRET=zsec_\(FakeKeys.alnum(30))\n".utf8)
        let paths = ["a/app.zenv", "a/app.txt", "a/app.zenv", "b/app.txt", "b/app.zenv", "a/app.txt", "b/app.zenv"]
        for path in paths {
            let found = try text.withUnsafeBytes { (buffer) throws(ScanError) in try scanner.scan(buffer, InputContext(path: path)) }
            #expect(found.map(\.ruleID) == (path.hasSuffix(".zenv") ? ["zorbl-env-secret"] : []), "\(path)")
        }
    }
}
