import Credentials
import Hashing

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
        "password", "password-hash", "credential-value", "wordpress-salt", "base64-blob", "basic-auth-base64", "base64-password", "winscp-password", "annotated-key",
        "kubernetes-secret-data", "kubernetes-secret-text",
    ]

    /// Validators that judge placeholders themselves (the scanner's placeholder filter would drop a crypt
    /// hash, which starts with `$`).
    public static func judgesPlaceholders(_ name: String?) -> Bool {
        name == "password" || name == "password-hash" || name == "winscp-password" || name == "credential-value" || name == "wordpress-salt" || name == "base64-blob" || name == "annotated-key"
            || name == "kubernetes-secret-data" || name == "kubernetes-secret-text"
    }

    /// Runs validator `name` on `secret`; `facts` are what the rule's groups and context found around it
    /// (`user`, `host`).
    public static func run(_ name: String, secret: String, facts: [String: String] = [:]) -> Verdict {
        switch name {
        case "password":
            // Anonymous FTP takes any password (by convention an e-mail address): it opens nothing.
            if facts["user"]?.lowercased() == "anonymous" { return .reject }
            // A hash in a password field is reported by the hash rules, never as a plaintext password.
            return Password.isRealLooking(secret) ? .accept(extra: [:], severity: .keep) : .reject
        case "credential-value":
            // A password or a token from a credential file: anything but a placeholder, reference or dummy.
            let u = Array(secret.utf8)
            guard u.count >= 6, Set(u).count > 3, !Password.isReference(secret), !Password.isDummy(secret),
                  !Placeholder.isPlaceholder(secret), !Password.isCode(secret) else { return .reject }
            return .accept(extra: [:], severity: .keep)
        case "wordpress-salt":
            // Real salts are 64 random printable characters (`<`, `{{`, `$` included); the template's is a phrase.
            let lower = secret.lowercased()
            guard Set(secret.utf8).count >= 16, !lower.contains("unique phrase"), !lower.contains("put your") else { return .reject }
            return .accept(extra: [:], severity: .keep)
        case "annotated-key":
            // Microsoft's common annotated keys (84 characters: 52 random, the JQQJ signature, then fixed fields
            // whose reserved bytes are zero runs, `AAAAAAAAAAAAA`, and the provider's mark such as AZDO): only the
            // random part can be a placeholder. A key without the signature is judged whole.
            let u = Array(secret.utf8)
            let judged = u.count == 84 && u[52...55].elementsEqual("JQQJ".utf8) ? String(decoding: u[..<52], as: UTF8.self) : secret
            return Filters.isPlaceholder(judged) ? .reject : .accept(extra: [:], severity: .keep)
        case "kubernetes-secret-data":
            // A value of a Kubernetes Secret's `data:`: base64 of the secret. Text is judged as a credential file's
            // value is, and reported decoded; bytes that are no text (a binary key) need 16 of them, varied.
            guard let bytes = Base64.decode(secret), !bytes.isEmpty else { return .reject }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                // Random bytes encode to all of upper case, lower case and digits, or to `+`, `/` or padding: a word
                // that happens to decode (`productionCluster`, a ConfigMap's value in the same file) does not.
                let u = Array(secret.utf8)
                let mixed = u.contains { $0 >= 65 && $0 <= 90 } && u.contains { $0 >= 97 && $0 <= 122 } && u.contains { $0 >= 48 && $0 <= 57 }
                guard case .accept = run("base64-blob", secret: secret), mixed || u.contains(43) || u.contains(47) || u.contains(61) else { return .reject }
                return .accept(extra: ["decoded": "base64"], severity: .keep)
            }
            var t = Substring(text)
            while let c = t.first, c == " " || c == "\n" || c == "\r" || c == "\t" { t = t.dropFirst() }
            while let c = t.last, c == " " || c == "\n" || c == "\r" || c == "\t" { t = t.dropLast() }
            let trimmed = String(t)
            // PEM text: a certificate or public key is no secret, and a private key is reported by the private key
            // rules, which read base64 text decoded (`private-key-base64-pem`).
            if trimmed.hasPrefix("-----BEGIN") { return .reject }
            guard trimmed.utf8.count >= 8, case .accept = run("kubernetes-secret-text", secret: trimmed) else { return .reject }
            return .accept(extra: ["decoded": "base64"], severity: .keep, secret: trimmed)
        case "kubernetes-secret-text":
            // A Secret's value as text: a credential file's value (no placeholder, reference, dummy or code) that
            // reads like a token (letters and digits) or a password of two character classes or more; a word
            // (`productionclustername`, a setting kept beside the secrets) is not.
            guard case .accept = run("credential-value", secret: secret) else { return .reject }
            return GenericValue.isLikelySecret(secret) || (Password.characterClasses(Array(secret.utf8)) >= 2 && Password.isRealLooking(secret))
                ? .accept(extra: [:], severity: .keep) : .reject
        case "base64-blob":
            // An encrypted value (Firefox's logins.json): its DER header holds zero runs that look like a mask.
            guard let bytes = Base64.decode(secret), bytes.count >= 16, Set(bytes).count >= 8 else { return .reject }
            return .accept(extra: [:], severity: .keep)
        case "password-hash":
            if let type = Password.hashType(secret), type != "hex-digest" { return .accept(extra: ["hash_type": type], severity: .keep) }
            // Traditional DES crypt (13 characters) only where the rule's file says it is a hash (.htpasswd).
            let u = Array(secret.utf8)
            if u.count == 13, u.allSatisfy({ Password.isAlnum($0) || $0 == 46 || $0 == 47 }) {
                return .accept(extra: ["hash_type": "des-crypt"], severity: .keep)
            }
            if secret.hasPrefix("{SHA}") { return .accept(extra: ["hash_type": "ldap-sha"], severity: .keep) }
            return .reject
        case "basic-auth-base64":
            // `base64(user:password)` (Docker's auths, npm's _auth): the user is a fact; a dummy password is no
            // finding. A value that does not decode so is kept as it is (the rule's shape already fits).
            guard let decoded = Base64.decode(secret), let text = String(validating: decoded, as: UTF8.self),
                  let colon = text.firstIndex(of: ":") else { return .accept(extra: [:], severity: .keep) }
            let user = String(text[..<colon]), password = String(text[text.index(after: colon)...])
            if password.isEmpty || Password.isReference(password) || Password.isDummy(password) || password == user { return .reject }
            return .accept(extra: ["user": String(user.prefix(200)), "decoded": "base64"], severity: .keep)
        case "base64-password":
            guard let decoded = Base64.decode(secret), let text = String(validating: decoded, as: UTF8.self),
                  Password.isRealLooking(text) else { return .reject }
            return .accept(extra: ["decoded": "base64"], severity: .keep, secret: text)
        case "winscp-password":
            guard let text = Password.decodeWinSCP(secret, user: facts["user"] ?? "", host: facts["host"] ?? "") else { return .reject }
            guard !text.isEmpty, !Password.isReference(text), !Password.isDummy(text) else { return .reject }
            return .accept(extra: ["decoded": "winscp"], severity: .keep, secret: text)
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
            guard let token = JSONWebToken(secret), !PublishedJWTKey.signed(secret, token) else { return .reject }
            return .accept(extra: [:], severity: .keep)
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
        if value.hasPrefix("/") || value.hasPrefix("./") || value.hasPrefix("~/") || value.hasPrefix("sha256-") || value.hasPrefix("sha512-") { return false }
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

/// The signing keys that jwt.io's debugger fills in by default and prints beside its sample tokens: an
/// HMAC-signed token (HS256, HS384, HS512) whose signature checks out under one of them was made in the
/// debugger or copied from a tutorial, and anyone can make another. (Not `your-256-bit-secret` of older
/// versions, nor `secret`: peers' rule tests count tokens signed with those as found, since a service that
/// signs with such a key really exists in the wild.)
enum PublishedJWTKey {
    static let keys = ["a-string-secret-at-least-256-bits-long"]

    /// True when `token` (already parsed as `parsed`) is signed with one of `keys`.
    static func signed(_ token: String, _ parsed: JSONWebToken) -> Bool {
        guard let alg = parsed.header["alg"]?.stringValue, ["HS256", "HS384", "HS512"].contains(alg),
              let secondDot = token.utf8.indices.filter({ token.utf8[$0] == 0x2E }).dropFirst().first else { return false }
        let input = Array(token.utf8[..<secondDot])
        return keys.contains { k in
            let key = Array(k.utf8)
            let mac = alg == "HS256" ? Digest.hmacSHA256(key: key, message: input) : Digest.hmacSHA512(bits: alg == "HS384" ? 384 : 512, key: key, message: input)
            return mac == parsed.signature
        }
    }
}
