/// Reading and writing the ledger's TOML form.
///
/// Known fields are written in a fixed order, dates as TOML local dates, and every field this version does
/// not know is written back as it was read (as an inline value).
extension KeyLedger {
    /// Parses ledger text; errors name `file` and, where it can be found, the line.
    public static func parse(_ text: String, file: String) throws(KeyAgeError) -> KeyLedger {
        let top = try TOMLReading.parse(text, file: file)
        var reader = FieldReader(fields: top, file: file, locator: LineLocator(text: text), keyIndex: nil, historyIndex: nil)
        var ledger = KeyLedger()
        if let v = reader.take("schema") {
            guard case .integer(let n) = v, n >= 1 else { throw reader.error("schema", "schema must be a positive integer") }
            guard n <= currentSchema else {
                throw KeyAgeError(.unsupportedSchema,
                                  "ledger schema \(n) is newer than this keywarden understands (schema \(currentSchema)); "
                                      + "upgrade keywarden before changing this file",
                                  file: file, line: reader.line("schema"))
            }
            ledger.schema = n
        }
        if let v = reader.take("keys") {
            guard case .array(let items) = v else { throw reader.error("keys", "'keys' must be an array of tables ([[keys]])") }
            for (i, item) in items.enumerated() {
                guard case .table(let fields) = item else { throw reader.error("keys", "'keys' must be an array of tables ([[keys]])") }
                let key = try parseKey(fields, file: file, locator: reader.locator, index: i)
                if ledger.key(id: key.id) != nil {
                    throw KeyAgeError(.malformedLedger, "duplicate key id '\(key.id)'", file: file,
                                      line: reader.locator.line(keyIndex: i, historyIndex: nil, field: "id"))
                }
                ledger.keys.append(key)
            }
        }
        if let v = reader.take("scope_policy") {
            let message = "[scope_policy] must map each environment to an array of scopes, e.g. prod = [\"read\"]"
            guard case .table(let entries) = v else { throw reader.error("scope_policy", message) }
            for (environment, value) in entries {
                guard case .array(let items) = value else { throw reader.error("scope_policy", message) }
                var allowed = [String]()
                for item in items {
                    guard case .string(let scope) = item else { throw reader.error("scope_policy", message) }
                    allowed.append(scope)
                }
                ledger.scopePolicy.append((environment, allowed))
            }
        }
        ledger.extra = reader.rest
        return ledger
    }

    private static func parseKey(_ fields: [(String, LedgerValue)], file: String, locator: LineLocator,
                                 index: Int) throws(KeyAgeError) -> TrackedKey {
        var r = FieldReader(fields: fields, file: file, locator: locator, keyIndex: index, historyIndex: nil)
        let id = try r.requiredString("id")
        let provider = try r.requiredString("provider")
        let environment = try r.requiredString("environment")
        let created = try r.date("created")
        guard let created else { throw r.error("id", "key '\(id)' has no 'created' date") }
        var key = TrackedKey(id: id, provider: provider, environment: environment, created: created)
        key.owner = try r.string("owner")
        key.lastRotated = try r.date("last_rotated") ?? created
        if let v = r.take("interval") {
            switch v {
            case .integer(let n) where n > 0:
                guard n <= RotationInterval.maximumDays else {
                    throw r.error("interval", "key '\(id)': interval \(n) is longer than 100 years (\(RotationInterval.maximumDays) days)")
                }
                key.interval = RotationInterval(days: n)
            case .string(let s):
                guard let i = RotationInterval(parsing: s) else {
                    throw r.error("interval", "key '\(id)': interval '\(s)' is not a number of days or an ISO 8601 duration like P90D")
                }
                key.interval = i
            default: throw r.error("interval", "key '\(id)': interval must be a positive number of days or an ISO 8601 duration like P90D")
            }
        }
        if let v = r.take("warn_before") {
            guard case .integer(let n) = v, n >= 0, n <= RotationInterval.maximumDays else {
                throw r.error("warn_before", "key '\(id)': warn_before must be a number of days from 0 to \(RotationInterval.maximumDays)")
            }
            key.warnBefore = n
        }
        if let s = try r.string("state") {
            guard let state = KeyState(rawValue: s) else { throw r.error("state", "key '\(id)': state must be 'active' or 'revoked', not '\(s)'") }
            key.state = state
        }
        key.fingerprint = try r.string("fingerprint")
        if let fp = key.fingerprint, !(fp.count == 64 && fp.allSatisfy(\.isHexDigit)) {
            throw r.error("fingerprint", "key '\(id)': fingerprint must be 64 hex digits")
        }
        key.fingerprint = key.fingerprint?.lowercased()
        key.jti = try r.string("jti")
        key.last4 = try r.string("last4")
        key.leaked = try r.date("leaked")
        key.revoked = try r.date("revoked")
        key.note = try r.string("note")
        if let location = try r.string("location") {
            guard TrackedKey.isLocation(location) else {
                throw r.error("location", "key '\(id)': location must be SCHEME:PATH, e.g. env:MAINTAINX_API_KEY or vault:secret/app/key")
            }
            key.location = location
        }
        if let v = r.take("scopes") {
            guard case .array(let items) = v else { throw r.error("scopes", "key '\(id)': scopes must be an array of strings") }
            var scopes = [String]()
            for item in items {
                guard case .string(let scope) = item, !scope.isEmpty else { throw r.error("scopes", "key '\(id)': scopes must be an array of strings") }
                scopes.append(scope)
            }
            key.scopes = scopes
        }
        if let v = r.take("history") {
            guard case .array(let items) = v else { throw r.error("history", "'history' must be an array of tables ([[keys.history]])") }
            for (j, item) in items.enumerated() {
                guard case .table(let hf) = item else { throw r.error("history", "'history' must be an array of tables") }
                var h = FieldReader(fields: hf, file: file, locator: locator, keyIndex: index, historyIndex: j)
                guard let date = try h.date("date") else { throw h.error("event", "a history entry of '\(id)' has no date") }
                let event = try h.requiredString("event")
                let entry = HistoryEntry(date: date, event: event, fingerprint: try h.string("fingerprint"),
                                         previousFingerprint: try h.string("previous_fingerprint"),
                                         by: try h.string("by"), reason: try h.string("reason"), extra: h.rest)
                key.history.append(entry)
            }
        }
        key.extra = r.rest
        return key
    }

    /// The ledger as TOML text, ready to be written.
    public var tomlText: String {
        var out = "# keywarden key ledger: ids, dates, owners and fingerprints. Never a key.\n"
        out += "# Change it with `keywarden keys ...` and review it like code. Comments are not kept on rewrite;\n"
        out += "# use a key's `note` field instead.\n"
        out += "schema = \(schema)\n"
        for (k, v) in extra { out += LedgerValue.key(k) + " = " + v.tomlText + "\n" }
        if !scopePolicy.isEmpty {
            out += "\n[scope_policy]\n"
            for (environment, allowed) in scopePolicy {
                out += LedgerValue.key(environment) + " = " + LedgerValue.array(allowed.map(LedgerValue.string)).tomlText + "\n"
            }
        }
        for key in keys {
            out += "\n[[keys]]\n"
            func line(_ name: String, _ value: LedgerValue?) {
                if let value { out += name + " = " + value.tomlText + "\n" }
            }
            line("id", .string(key.id))
            line("provider", .string(key.provider))
            line("environment", .string(key.environment))
            line("owner", key.owner.map(LedgerValue.string))
            line("created", .date(key.created))
            line("last_rotated", .date(key.lastRotated))
            line("interval", key.interval.map { $0.isoText.map(LedgerValue.string) ?? .integer($0.days) })
            line("warn_before", key.warnBefore.map(LedgerValue.integer))
            line("state", .string(key.state.rawValue))
            line("fingerprint", key.fingerprint.map(LedgerValue.string))
            line("jti", key.jti.map(LedgerValue.string))
            line("last4", key.last4.map(LedgerValue.string))
            line("leaked", key.leaked.map(LedgerValue.date))
            line("revoked", key.revoked.map(LedgerValue.date))
            line("note", key.note.map(LedgerValue.string))
            line("location", key.location.map(LedgerValue.string))
            line("scopes", key.scopes.map { .array($0.map(LedgerValue.string)) })
            for (k, v) in key.extra { line(LedgerValue.key(k), v) }
            for h in key.history {
                out += "\n  [[keys.history]]\n"
                out += "  date = " + LedgerValue.date(h.date).tomlText + "\n"
                out += "  event = " + LedgerValue.string(h.event).tomlText + "\n"
                if let fp = h.fingerprint { out += "  fingerprint = " + LedgerValue.string(fp).tomlText + "\n" }
                if let fp = h.previousFingerprint { out += "  previous_fingerprint = " + LedgerValue.string(fp).tomlText + "\n" }
                if let by = h.by { out += "  by = " + LedgerValue.string(by).tomlText + "\n" }
                if let reason = h.reason { out += "  reason = " + LedgerValue.string(reason).tomlText + "\n" }
                for (k, v) in h.extra { out += "  " + LedgerValue.key(k) + " = " + v.tomlText + "\n" }
            }
        }
        return out
    }
}

/// Takes known fields out of a table, checking their types; what is left is kept as unknown fields.
private struct FieldReader {
    var fields: [(String, LedgerValue)]
    let file: String
    let locator: LineLocator
    let keyIndex: Int?
    let historyIndex: Int?

    mutating func take(_ name: String) -> LedgerValue? {
        guard let i = fields.firstIndex(where: { $0.0 == name }) else { return nil }
        return fields.remove(at: i).1
    }

    var rest: [(String, LedgerValue)] { fields }

    func line(_ field: String) -> Int? { locator.line(keyIndex: keyIndex, historyIndex: historyIndex, field: field) }

    func error(_ field: String, _ message: String) -> KeyAgeError {
        KeyAgeError(.malformedLedger, message, file: file, line: line(field))
    }

    mutating func string(_ name: String) throws(KeyAgeError) -> String? {
        guard let v = take(name) else { return nil }
        guard case .string(let s) = v else { throw error(name, "'\(name)' must be a string") }
        return s
    }

    mutating func requiredString(_ name: String) throws(KeyAgeError) -> String {
        guard let s = try string(name), !s.isEmpty else {
            throw error(keyIndex == nil ? name : "id", "a \(historyIndex == nil ? "key" : "history entry") needs '\(name)'")
        }
        return s
    }

    /// A TOML local date, or a `YYYY-MM-DD` string (a date-time counts by its UTC date).
    mutating func date(_ name: String) throws(KeyAgeError) -> CalendarDate? {
        guard let v = take(name) else { return nil }
        switch v {
        case .date(let d): return d
        case .string(let s):
            if let d = CalendarDate(s) { return d }
        case .dateTime(let s):
            if let d = Self.utcDate(s) { return d }
        default: break
        }
        throw error(name, "'\(name)' must be a date like 2026-01-15")
    }

    /// The UTC calendar date of a TOML date-time (`2026-01-15T23:00:00-05:00` is 2026-01-16).
    static func utcDate(_ s: String) -> CalendarDate? {
        guard s.count >= 19, let date = CalendarDate(s.prefix(10)) else { return nil }
        let hour = Int(s.dropFirst(11).prefix(2)) ?? 0, minute = Int(s.dropFirst(14).prefix(2)) ?? 0
        var offset = 0
        if let sign = s.lastIndex(where: { $0 == "+" || $0 == "-" }), s.distance(from: s.startIndex, to: sign) > 10 {
            let parts = s[s.index(after: sign)...].split(separator: ":")
            if parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]) { offset = (h * 60 + m) * (s[sign] == "-" ? -1 : 1) }
        }
        let minutes = hour * 60 + minute - offset
        return date.adding(days: minutes < 0 ? -1 : minutes / 1440)
    }
}

/// Finds the line of a field in ledger text, for error messages (TOMLKit gives lines only for syntax errors).
struct LineLocator {
    private let lines: [Substring]

    init(text: String) { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }

    /// The line of `field` in the `keyIndex`-th `[[keys]]` (and `historyIndex`-th `[[keys.history]]` in it),
    /// or of the table header when the field is not written there.
    func line(keyIndex: Int?, historyIndex: Int?, field: String) -> Int? {
        var range = 0..<lines.count
        if let keyIndex {
            guard let r = block(header: "[[keys]]", index: keyIndex, in: range, stopAt: ["[[keys]]"]) else { return nil }
            range = r
            if let historyIndex {
                guard let h = block(header: "[[keys.history]]", index: historyIndex, in: range, stopAt: ["[[keys.history]]"]) else { return nil }
                range = h
            } else if let firstHistory = range.dropFirst().first(where: { header(lines[$0]) != nil }) {
                range = range.lowerBound..<firstHistory
            }
        } else if let firstTable = lines.indices.first(where: { header(lines[$0]) != nil }) {
            range = 0..<firstTable
        }
        for i in range {
            let t = lines[i].drop { $0 == " " || $0 == "\t" }
            if t.hasPrefix(field), t.dropFirst(field.count).drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("=") {
                return i + 1
            }
        }
        return keyIndex == nil ? nil : range.lowerBound + 1
    }

    private func header(_ line: Substring) -> String? {
        let t = line.filter { $0 != " " && $0 != "\t" }
        guard t.hasPrefix("[") else { return nil }
        return String(t.prefix { $0 != "#" })
    }

    private func block(header name: String, index: Int, in range: Range<Int>, stopAt: Set<String>) -> Range<Int>? {
        let starts = range.filter { header(lines[$0]) == name }
        guard index < starts.count else { return nil }
        let start = starts[index]
        let end = range[(start + 1)...].first { i in header(lines[i]).map { stopAt.contains($0) || !$0.hasPrefix("[[keys") && !$0.hasPrefix("[keys") } ?? false } ?? range.upperBound
        return start..<end
    }
}
