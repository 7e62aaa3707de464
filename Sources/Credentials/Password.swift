/// Passwords as people write them: which values are real-looking plaintext, which are placeholders or the
/// well-known dummies of templates and tutorials, and which are password hashes (named by their scheme).
public enum Password {
    /// The hash scheme `value` is written in (`bcrypt`, `sha512-crypt`, `argon2`, ...), nil for anything else.
    /// Bare hex digests are named too (`hex-digest`): a password field holding one is not plaintext.
    public static func hashType(_ value: String) -> String? {
        let v = Array(value.utf8)
        func all(_ r: ArraySlice<UInt8>, _ ok: (UInt8) -> Bool) -> Bool { !r.isEmpty && r.allSatisfy(ok) }
        func crypt64(_ c: UInt8) -> Bool { isAlnum(c) || c == 46 || c == 47 }
        func hex(_ c: UInt8) -> Bool { (48...57).contains(c) || (97...102).contains(c) || (65...70).contains(c) }
        if value.hasPrefix("$") {
            let parts = value.split(separator: "$", omittingEmptySubsequences: false)
            guard parts.count >= 3 else { return nil }
            let id = parts[1], last = Array(parts[parts.count - 1].utf8)
            guard last.count >= 8, all(last[...], { crypt64($0) || $0 == 43 || $0 == 61 }) else { return nil }
            switch id {
            case "2a", "2b", "2y", "2x": return parts.count == 4 && last.count == 53 ? "bcrypt" : nil
            case "1": return "md5-crypt"
            case "apr1": return "apache-md5"
            case "5": return "sha256-crypt"
            case "6": return "sha512-crypt"
            case "y", "gy": return "yescrypt"
            case "7": return "scrypt"
            // Cisco IOS/NX-OS `secret 8` (PBKDF2-SHA256) and `secret 9` (scrypt): a 14-character salt, 43 characters.
            case "8", "9":
                guard parts.count == 4, parts[2].utf8.count == 14, last.count == 43 else { return nil }
                return id == "8" ? "cisco-pbkdf2-sha256" : "cisco-scrypt"
            case "argon2id", "argon2i", "argon2d": return "argon2"
            case "pbkdf2", "pbkdf2-sha256", "pbkdf2-sha512": return "pbkdf2"
            case "sha1": return "sha1-crypt"
            default: return nil
            }
        }
        if value.hasPrefix("{") , let close = value.firstIndex(of: "}") {
            let scheme = value[value.index(after: value.startIndex)..<close].uppercased()
            let rest = value[value.index(after: close)...]
            if ["SSHA", "SHA", "SSHA256", "SSHA512", "SHA256", "SHA512", "MD5", "SMD5", "CRYPT", "PBKDF2", "ARGON2"].contains(scheme),
               rest.utf8.count >= 13 {
                return "ldap-" + scheme.lowercased()
            }
            return nil
        }
        for (prefix, name) in [("pbkdf2_sha256$", "django-pbkdf2"), ("pbkdf2_sha1$", "django-pbkdf2"), ("argon2$argon2", "django-argon2"),
                               ("bcrypt_sha256$", "django-bcrypt"), ("bcrypt$", "django-bcrypt"), ("scrypt$", "django-scrypt"),
                               ("sha1$", "django-sha1"), ("md5$", "django-md5"), ("SCRAM-SHA-256$", "scram-sha-256")]
        where value.hasPrefix(prefix) && value.utf8.count >= prefix.utf8.count + 20 {
            return name
        }
        if v.count == 41, v[0] == 42, all(v[1...], hex) { return "mysql-native" }
        if v.count == 35, value.hasPrefix("md5"), all(v[3...], hex) { return "postgres-md5" }
        if [32, 40, 64, 96, 128].contains(v.count), all(v[...], hex) { return "hex-digest" }
        return nil
    }

    /// True for a value that reads like a real password: not a placeholder, reference, masked value, hash,
    /// code or a well-known dummy (`password`, `changeme`, `P@ssw0rd123!`, `admin123`), and strong enough
    /// to be somebody's choice (length and character classes).
    public static func isRealLooking(_ value: String) -> Bool {
        let v = Array(value.utf8)
        guard v.count >= 6, v.count <= 256 else { return false }
        if v.contains(where: { $0 < 32 || $0 == 127 }) { return false }
        if isReference(value) || Placeholder.isPlaceholder(value) || hashType(value) != nil { return false }
        if isDummy(value) || isCode(value) { return false }
        if Set(v).count <= 2 { return false }
        let classes = characterClasses(v)
        return (v.count >= 8 && classes >= 2) || v.count >= 12 || (v.count >= 6 && classes >= 3)
    }

    /// Templates, references and masks: `${DB_PASSWORD}`, `{{ pw }}`, `%(pw)s`, `<password>`, `ENC(...)`,
    /// `!vault`, `env:X`, `***`.
    public static func isReference(_ value: String) -> Bool {
        let lower = value.lowercased()
        // `%(pw)s`, `%s`, `%DB_PASSWORD%` (but a password may start with `%`).
        if lower.hasPrefix("%(") || value == "%s" { return true }
        if value.count > 2, value.hasPrefix("%"), value.hasSuffix("%"),
           value.dropFirst().dropLast().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { return true }
        for p in ["$", "`", "@{", "#{", "{{", "<", "[", "!vault", "enc(", "enc[", "env:", "env(", "secret:", "vault:", "file:", "ref+",
                  "op://", "arn:", "secretref:", "sm://", "gcp:", "kms:", "azurekeyvault", "keyvault:", "*", "•"] where lower.hasPrefix(p) {
            return true
        }
        if lower.hasPrefix("{") && lower.hasSuffix("}") { return true }
        for f in ["${", "{{", "}}", "%(", "#{", "process.env", "os.environ", "getenv", "env[", "env.", "environ["] where lower.contains(f) {
            return true
        }
        return value.allSatisfy { "*xX•.#_-?".contains($0) }
    }

    /// The dummies of templates and tutorials, also with digits or punctuation around them and in leetspeak
    /// (`Passw0rd!`, `changeme123`, `admin@2024`, `s3cr3t`).
    public static func isDummy(_ value: String) -> Bool {
        let lower = value.lowercased()
        for f in ["password", "passwd", "passwort", "changeme", "change_me", "change-me", "changeit", "changethis", "example",
                  "placeholder", "redacted", "dummy", "sample", "yourpass", "your_pass", "your-pass", "mypass", "secret",
                  "notreal", "not_real", "not-real", "fakepass", "qwerty", "letmein", "keyboard cat", "keyboardcat", "replace", "xxxx"]
        where lower.contains(f) {
            return true
        }
        // Digits and punctuation around the word dropped, then leetspeak undone (`P@ssw0rd123!` is password).
        let edge: (Character) -> Bool = { !$0.isLetter }
        var trimmed = Substring(lower)
        while let f = trimmed.first, edge(f) { trimmed = trimmed.dropFirst() }
        while let l = trimmed.last, edge(l) { trimmed = trimmed.dropLast() }
        var base = ""
        for c in trimmed {
            switch c {
            case "@", "4": base.append("a")
            case "0": base.append("o")
            case "1", "!": base.append("i")
            case "3": base.append("e")
            case "$", "5": base.append("s")
            case "7": base.append("t")
            default: base.append(c)
            }
        }
        for f in ["password", "passwd", "changeme", "secret", "qwerty", "letmein"] where base.contains(f) { return true }
        let word = base.filter { $0.isLetter }
        let letters = lower.filter { $0.isLetter }
        if dummyWords.contains(word) || dummyWords.contains(letters) { return true }
        if word.count <= 3 { return true }
        return false
    }

    static let dummyWords: Set<String> = [
        "password", "pass", "passwd", "pwd", "passphrase", "secret", "mysecret", "topsecret", "changeme", "changeit", "admin",
        "administrator", "root", "toor", "test", "tests", "testing", "tester", "testpass", "testuser", "guest", "user", "username",
        "users", "default", "example", "sample", "demo", "dummy", "fake", "none", "null", "nil", "empty", "blank", "foo", "bar",
        "baz", "foobar", "qwerty", "qwertyuiop", "asdf", "asdfgh", "asdfghjkl", "zxcvbn", "letmein", "welcome", "iloveyou", "monkey",
        "dragon", "master", "hunter", "login", "temp", "temporary", "tmp", "dev", "develop", "development", "local", "localhost",
        "postgres", "postgresql", "mysql", "mariadb", "mongo", "mongodb", "redis", "rabbitmq", "oracle", "db", "database", "docker",
        "vagrant", "ubuntu", "debian", "raspberry", "pi", "superuser", "sa", "system", "manager", "abc", "abcd", "abcde", "abcdef",
        "abcdefg", "abcdefgh", "qwe", "asd", "zxc", "aaa", "xyz", "hello", "helloworld", "secure", "private", "token", "apikey",
        "key", "changethis", "replaceme", "todo", "tbd", "fixme", "unset", "notset", "required", "string", "value", "yourpassword",
        "mypassword", "dbpass", "dbpassword", "userpass", "adminpass", "rootpass", "pas", "passw", "wordpass", "app", "application",
        "service", "jenkins", "tomcat", "elastic", "kibana", "grafana", "minio", "minioadmin", "keycloak", "nextcloud", "wordpress",
        "drupal", "joomla", "magento", "laravel", "django", "rails", "symfony", "homestead", "secretkey", "keyboardcat", "sekret",
        "sekrit", "opensesame", "trustno", "batman", "superman", "princess", "sunshine", "shadow", "football", "baseball",
    ]

    /// Code rather than a value: a dotted member path, a call, an all-caps environment variable's name.
    public static func isCode(_ value: String) -> Bool {
        let u = Array(value.utf8)
        func ident(_ c: UInt8) -> Bool { isAlnum(c) || c == 95 }
        // `config.db.password`, `this.password`, `settings.DB_PASSWORD`, `getPassword()`.
        var body = u[...]
        if body.count > 2, body.last == 41, body[body.count - 2] == 40 { body = body.dropLast(2) }
        let segments = body.split(separator: 46, omittingEmptySubsequences: false)
        if segments.count >= 2, segments.allSatisfy({ s in !s.isEmpty && s.allSatisfy(ident) && !(48...57).contains(s.first!) }) {
            return true
        }
        if u.count > 2, u.last == 41, let open = u.firstIndex(of: 40), open > 0, u[..<open].allSatisfy({ ident($0) || $0 == 46 }) {
            return true
        }
        // `description=`, `name:`: a word and an operator, from text around the value.
        if let last = u.last, last == 61 || last == 58, u.dropLast().allSatisfy({ isAlnum($0) && !(48...57).contains($0) }) { return true }
        // `DB_PASSWORD`, `MYSQL_ROOT_PASSWORD`: a variable's name given as the value.
        if u.contains(95), u.allSatisfy({ (65...90).contains($0) || $0 == 95 || (48...57).contains($0) }), (65...90).contains(u[0]) {
            return true
        }
        return false
    }

    /// Lower, upper, digit, other: how many of the four occur.
    public static func characterClasses(_ u: [UInt8]) -> Int {
        var lower = false, upper = false, digit = false, other = false
        for c in u {
            if (97...122).contains(c) { lower = true } else if (65...90).contains(c) { upper = true }
            else if (48...57).contains(c) { digit = true } else { other = true }
        }
        return [lower, upper, digit, other].filter { $0 }.count
    }

    public static func isAlnum(_ c: UInt8) -> Bool { (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c) }

    /// A password WinSCP stored in its site list (`Password=A35C...`): hex, each byte `~(b ^ 0xA3)`, a flag, a
    /// length, a random-length padding, then the characters, prefixed by user and host when the flag says so.
    /// Nil when `hex` is not such a value.
    public static func decodeWinSCP(_ hex: String, user: String, host: String) -> String? {
        var bytes = [UInt8]()
        let u = Array(hex.utf8)
        guard u.count >= 6, u.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        var i = 0
        while i + 1 < u.count {
            guard let a = nibble(u[i]), let b = nibble(u[i + 1]) else { return nil }
            bytes.append(~((a << 4 | b) ^ 0xA3))
            i += 2
        }
        var p = 0
        func next() -> Int? { guard p < bytes.count else { return nil }; defer { p += 1 }; return Int(bytes[p]) }
        guard let flag = next() else { return nil }
        var length = flag
        if flag == 0xFF {
            guard next() != nil, let l = next() else { return nil }
            length = l
        }
        guard let shift = next() else { return nil }
        p += shift
        guard length > 0, p + length <= bytes.count else { return nil }
        let plain = Array(bytes[p..<(p + length)])
        guard plain.allSatisfy({ $0 >= 32 && $0 < 127 }) else { return nil }
        var text = String(decoding: plain, as: UTF8.self)
        let key = user + host
        if flag == 0xFF, !key.isEmpty {
            guard text.hasPrefix(key) else { return nil }
            text.removeFirst(key.count)
        }
        return text
    }
}
