/// Where a file sits says something about its secrets: keys in test fixtures and documentation are
/// usually test vectors and examples. Such findings are kept (a real key in a test is still a leak) but
/// marked, and lowered to low severity unless the secret proved itself (a valid checksum, a decoded
/// MaintainX key).
enum PathContext {
    private static let testDirectories: Set<String> = [
        "test", "tests", "spec", "specs", "testdata", "test-data", "test_data", "fixtures", "fixture", "__tests__",
        "testing", "mocks", "__mocks__", "testfixtures", "testutils", "benchmarks", "benchmark",
    ]
    private static let docDirectories: Set<String> = [
        "docs", "doc", "documentation", "examples", "example", "samples", "sample", "snippets",
    ]
    private static let docExtensions: Set<String> = ["md", "markdown", "rst", "adoc", "txt", "docc"]

    /// "test", "documentation", or nil.
    static func classify(_ path: String) -> String? {
        let lower = path.lowercased()
        let parts = lower.split(separator: "/")
        guard let name = parts.last else { return nil }
        for dir in parts.dropLast() {
            let d = String(dir)
            if testDirectories.contains(d) || d.hasSuffix("tests") || d.hasSuffix("-test") || d.hasSuffix("_test") { return "test" }
        }
        let stem = name.split(separator: ".").first.map(String.init) ?? String(name)
        if stem.hasSuffix("test") || stem.hasSuffix("tests") || stem.hasSuffix("_spec") || stem.hasPrefix("test_")
            || name.contains(".test.") || name.contains(".spec.") {
            return "test"
        }
        if parts.dropLast().contains(where: { docDirectories.contains(String($0)) }) { return "documentation" }
        if let ext = name.split(separator: ".").last, name.contains("."), docExtensions.contains(String(ext)) { return "documentation" }
        return nil
    }

    static func apply(to findings: inout [Finding], path: String) {
        guard !findings.isEmpty, let context = classify(path) else { return }
        for i in findings.indices {
            findings[i].extra["context"] = context
            let proven = findings[i].extra["checksum"] == "valid" || findings[i].extra["jti"] != nil
            if !proven { findings[i].severity = min(findings[i].severity, .low) }
        }
    }
}

import SecretRules
