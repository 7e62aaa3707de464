import Credentials

/// Post-match checks named by a rule's `validator` field.
public enum Validators {
    /// What a validator decided about one candidate.
    public enum Verdict: Sendable {
        /// Report it, possibly with facts learned and a changed severity.
        case accept(extra: [String: String], severity: SeverityChange, secret: String? = nil)
        /// Not a secret of this kind.
        case reject
    }

    public enum SeverityChange: Sendable { case keep, lowerTo(String) }

    /// The names of every validator this build knows.
    public static let names: Set<String> = [
        "maintainx-jwt", "maintainx-jwt-split", "jwt", "github-checksum", "npm-checksum", "not-placeholder", "generic-value",
    ]

    /// Runs validator `name` on `secret`.
    public static func run(_ name: String, secret: String) -> Verdict {
        switch name {
        case "maintainx-jwt":
            guard let key = MaintainXKey(token: secret) else { return .reject }
            var extra = ["iat": String(key.issuedAt), "jti": key.keyID, "user_id": String(key.userID)]
            if let org = key.organizationID { extra["organization_id"] = String(org) }
            extra["created"] = isoDate(key.issuedAt)
            return .accept(extra: extra, severity: .keep)
        case "maintainx-jwt-split":
            // "Bearer <a>" "<b>" "<c>": join the literals' contents and check the whole key.
            let pieces = secret.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            var joined = pieces.joined()
            if joined.hasPrefix("Bearer ") { joined.removeFirst(7) }
            guard case .accept(let extra, let severity, _) = run("maintainx-jwt", secret: joined) else { return .reject }
            return .accept(extra: extra, severity: severity, secret: joined)
        case "generic-value":
            return GenericValue.isLikelySecret(secret) ? .accept(extra: [:], severity: .keep) : .reject
        case "jwt":
            return JSONWebToken(secret) == nil ? .reject : .accept(extra: [:], severity: .keep)
        case "github-checksum":
            guard let underscore = secret.firstIndex(of: "_") else { return .reject }
            let body = secret[secret.index(after: underscore)...]
            return checksum(body)
        case "npm-checksum":
            guard secret.hasPrefix("npm_") else { return .reject }
            return checksum(secret.dropFirst(4))
        case "not-placeholder":
            return Filters.isPlaceholder(secret) ? .reject : .accept(extra: [:], severity: .keep)
        default:
            return .accept(extra: [:], severity: .keep)
        }
    }

    /// A token whose embedded CRC32 checks out is certainly real-shaped; one whose checksum fails is still
    /// reported (it may be hand-made, truncated, or a test value), at low severity and marked.
    private static func checksum(_ body: Substring) -> Verdict {
        if Checksum.hasTrailingBase62CRC(body) { return .accept(extra: ["checksum": "valid"], severity: .keep) }
        return .accept(extra: ["checksum": "invalid"], severity: .lowerTo("low"))
    }

    static func isoDate(_ unix: Int64) -> String {
        let (y, m, d) = CivilDate.fromDays(CivilDate.days(unixSeconds: unix))
        func pad(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(pad(m))-\(pad(d))"
    }
}

/// The filters of the generic rule, beyond entropy and placeholders.
enum GenericValue {
    static func isLikelySecret(_ value: String) -> Bool {
        let u = Array(value.utf8)
        let hasDigit = u.contains { (48...57).contains($0) }
        let hasLetter = u.contains { (65...90).contains($0) || (97...122).contains($0) }
        guard hasDigit, hasLetter else { return false }
        if isUUID(u) { return false }
        let isHex = u.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
        if isHex, [32, 40, 56, 64, 96, 128].contains(u.count) { return false }  // digests and checksums
        if value.hasPrefix("/") || value.hasPrefix("./") || value.hasPrefix("sha256-") || value.hasPrefix("sha512-") { return false }
        // Dotted identifiers (`Foo.bar.baz`) and version strings are code, not secrets.
        if value.contains("."), value.split(separator: ".").allSatisfy({ $0.first.map { !$0.isNumber } ?? false && $0.count < 32 }),
           !value.contains("/"), !value.contains("+") {
            return false
        }
        return !Filters.isPlaceholder(value)
    }

    static func isUUID(_ u: [UInt8]) -> Bool {
        guard u.count == 36 else { return false }
        for (i, c) in u.enumerated() {
            if [8, 13, 18, 23].contains(i) { if c != UInt8(ascii: "-") { return false } } else if !(48...57).contains(c) && !(97...102).contains(c) && !(65...70).contains(c) { return false }
        }
        return true
    }
}
