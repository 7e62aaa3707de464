import Foundation
import KeyAge

/// `keys status` and `keys check` for CI systems: JSON, GitHub workflow commands, JUnit XML. Only ids,
/// dates, providers and sentences: the ledger holds no key.
enum KeysCIFormats {
    /// Problems by key id, from a check (errors and warnings).
    static func problems(_ check: LedgerCheck) -> (errors: [String: [String]], warnings: [String: [String]]) {
        var errors = [String: [String]](), warnings = [String: [String]]()
        for e in check.errors { for id in e.keyIDs { errors[id, default: []].append(e.message) } }
        for w in check.warnings { for id in w.keyIDs { warnings[id, default: []].append(w.message) } }
        return (errors, warnings)
    }

    /// The check as JSON: `failed`, counts, and each error and warning with the key ids it concerns.
    static func checkJSON(_ check: LedgerCheck, ledgerPath: String, today: CalendarDate) -> String {
        func list(_ problems: [LedgerCheck.Problem]) -> [[String: Any]] {
            problems.map { ["keys": $0.keyIDs, "message": $0.message] }
        }
        let object: [String: Any] = [
            "schema": 1, "ledger": ledgerPath, "today": today.description, "failed": check.failed,
            "active_keys": check.activeCount, "errors": list(check.errors), "warnings": list(check.warnings),
        ]
        return json(object)
    }

    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// GitHub workflow commands: `::error` for overdue, leaked and shared keys, `::warning` for keys due
    /// (soon), and with `all` a `::notice` for every other active key.
    static func github(_ statuses: [KeyStatus], check: LedgerCheck, all: Bool) -> String {
        var out = ""
        for e in check.errors { out += "::error title=keywarden keys::\(escapeData(e.message))\n" }
        for w in check.warnings { out += "::warning title=keywarden keys::\(escapeData(w.message))\n" }
        if all {
            let (errors, warnings) = problems(check)
            for s in statuses where s.level != .revoked && errors[s.key.id] == nil && warnings[s.key.id] == nil {
                out += "::notice title=keywarden keys::\(escapeData("\(s.key.id) (\(s.key.environment)): \(s.message)"))\n"
            }
        }
        return out
    }

    /// JUnit XML: one test case per active key (class `keywarden.keys.ENV`), failed when the key is
    /// overdue, leaked or shares its value with another environment; warnings go to the case's output.
    static func junit(_ statuses: [KeyStatus], check: LedgerCheck) -> String {
        let (errors, warnings) = problems(check)
        let active = statuses.filter { $0.level != .revoked }
        let failures = active.filter { errors[$0.key.id] != nil }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"keywarden keys\" tests=\"\(active.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        out += "  <testsuite name=\"keywarden keys check\" tests=\"\(active.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
        for s in active {
            out += "    <testcase classname=\"\(xml("keywarden.keys." + s.key.environment))\" name=\"\(xml(s.key.id))\""
            let messages = errors[s.key.id] ?? []
            let notes = warnings[s.key.id] ?? []
            if messages.isEmpty && notes.isEmpty {
                out += "/>\n"
                continue
            }
            out += ">\n"
            if !messages.isEmpty {
                out += "      <failure message=\"\(xml(messages.joined(separator: "; ")))\" type=\"\(s.level == .leaked ? "leaked" : "rotation")\">"
                out += xml(messages.joined(separator: "\n") + "\nRotate: keywarden keys runbook \(s.key.provider) --key \(s.key.id)") + "</failure>\n"
            }
            if !notes.isEmpty { out += "      <system-out>\(xml(notes.map { "warning: \($0)" }.joined(separator: "\n")))</system-out>\n" }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// GitHub's escaping of a workflow command's message.
    static func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    static func xml(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                // Control characters are not allowed in XML 1.0.
                if scalar.value < 0x20 { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
