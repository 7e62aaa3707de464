import Foundation
import SecretScanner

/// JUnit XML for CI test views: one test case per rule and file (class name `keywarden.RULE`, name the
/// file), failing with every finding of that rule in that file; one erroring case per scan error; one
/// passing case when nothing was found. Redacted always.
enum JUnitReport {
    static func render(_ report: Report) -> String {
        // Group findings by (rule, file), in the order they were found.
        var order: [String] = []
        var groups: [String: [Finding]] = [:]
        for f in report.findings {
            let key = f.ruleID + "\u{0}" + CIFacts.path(f.path)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(f)
        }
        let errors = report.result.errors
        let failures = order.count
        let tests = max(1, failures + errors.count)
        let time = String(format: "%.3f", max(0, report.result.seconds))
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let counts = "tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors.count)\""
        out += "<testsuites name=\"keywarden\" \(counts) time=\"\(time)\">\n"
        out += "  <testsuite name=\"keywarden scan\" \(counts) skipped=\"0\" time=\"\(time)\" "
            + "timestamp=\"\(CIFacts.utc(CIFacts.startedAt(report)))\">\n"
        for key in order {
            guard let findings = groups[key], let first = findings.first else { continue }
            let path = CIFacts.path(first.path)
            let n = findings.count
            out += "    <testcase classname=\"\(attribute("keywarden." + first.ruleID))\" name=\"\(attribute(path))\" time=\"0\">\n"
            let message = "\(n) secret\(n == 1 ? "" : "s") found by \(first.ruleID) in \(path)"
            out += "      <failure type=\"\(attribute(first.ruleID))\" message=\"\(attribute(message))\">"
            var body = ""
            for f in findings {
                body += "\(path):\(f.line):\(f.column) \(f.severity.rawValue) \(CIFacts.message(f))\n"
            }
            body += "Fix: \(CIFacts.ruleHelp(provider: first.provider))\n"
            out += text(body) + "</failure>\n"
            out += "    </testcase>\n"
        }
        for (i, e) in errors.enumerated() {
            out += "    <testcase classname=\"keywarden.errors\" name=\"scan error \(i + 1)\" time=\"0\">\n"
            out += "      <error type=\"scan-error\" message=\"\(attribute(e.rawDescription))\"/>\n"
            out += "    </testcase>\n"
        }
        if order.isEmpty && errors.isEmpty {
            let files = report.result.filesScanned
            out += "    <testcase classname=\"keywarden\" name=\"no secrets in \(files) file\(files == 1 ? "" : "s")\" time=\"\(time)\"/>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// Text content: `&`, `<`, `>` escaped; characters XML 1.0 cannot hold replaced.
    static func text(_ s: String) -> String { escape(s, attribute: false) }

    /// An attribute value: as text, plus quotes and line breaks (kept as character references).
    static func attribute(_ s: String) -> String { escape(s, attribute: true) }

    private static func escape(_ s: String, attribute: Bool) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "'" where attribute: out += "&apos;"
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t" where attribute: out += "&#9;"
            case "\n", "\t": out.unicodeScalars.append(c)
            case let c where c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
