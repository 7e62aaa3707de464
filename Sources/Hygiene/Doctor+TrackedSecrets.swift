import GitRepository

/// Names of files that hold secrets and must never be tracked.
public enum SecretFileNames {
    /// Dotenv templates that are meant to be committed.
    public static let templates: Set<String> = [".env.example", ".env.sample", ".env.template", ".env.dist"]
    /// Keystore and certificate-bundle extensions (always hold private keys).
    static let keystoreExtensions: Set<String> = ["p12", "pfx", "jks", "keystore"]
    /// SSH private key file names.
    static let sshPrivateKeys: Set<String> = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"]

    /// Why a file named `name` (the last path component) must not be tracked, judged by name alone;
    /// nil when the name is harmless. `.pem` and `.key` files are judged by content: see
    /// ``needsContent(_:)`` and ``reason(name:content:)``.
    public static func reason(name: String) -> String? {
        if name == ".env" { return "a dotenv file" }
        if name.hasPrefix(".env."), !templates.contains(name) { return "a dotenv file" }
        if sshPrivateKeys.contains(name) { return "an SSH private key" }
        if let ext = pathExtension(name), keystoreExtensions.contains(ext) { return "a keystore" }
        return nil
    }

    /// True for names whose verdict depends on the content (`*.pem`, `*.key`).
    public static func needsContent(_ name: String) -> Bool {
        let ext = pathExtension(name)
        return ext == "pem" || ext == "key"
    }

    /// The verdict for a `*.pem` or `*.key` file: a PEM private key block makes it a private key; a `.key`
    /// file that is neither a certificate nor a public key counts as one too (DER keys have no marker).
    public static func reason(name: String, content: [UInt8]) -> String? {
        if contains(content, "PRIVATE KEY-----") { return "a private key" }
        if pathExtension(name) == "key", !contains(content, "PUBLIC KEY-----"), !contains(content, "CERTIFICATE-----") {
            return "a private key"
        }
        return nil
    }

    static func pathExtension(_ name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return String(name[name.index(after: dot)...]).lowercased()
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard haystack.count >= n.count, let first = n.first else { return false }
        var i = 0
        while i <= haystack.count - n.count {
            if haystack[i] == first, Array(haystack[i..<(i + n.count)]) == n { return true }
            i += 1
        }
        return false
    }
}

extension Doctor {
    /// Tracked files that hold secrets, with the reason each one is flagged.
    public func trackedSecretFiles() throws(HygieneError) -> [(path: String, reason: String)] {
        let entries = try git { () throws(GitError) in try repository.indexEntries() }
        var seen = Set<String>()
        var found: [(path: String, reason: String)] = []
        for entry in entries where entry.kind == .file || entry.kind == .executable {
            guard seen.insert(entry.path).inserted else { continue }
            let name = entry.path.split(separator: "/").last.map(String.init) ?? entry.path
            if let reason = SecretFileNames.reason(name: name) {
                found.append((entry.path, reason))
            } else if SecretFileNames.needsContent(name) {
                let content = try git { () throws(GitError) in try repository.blobContent(entry.id) }
                if let reason = SecretFileNames.reason(name: name, content: content) { found.append((entry.path, reason)) }
            }
        }
        return found
    }

    func checkTrackedSecrets() throws(HygieneError) -> CheckResult {
        let found = try trackedSecretFiles()
        if found.isEmpty { return .pass(.trackedSecrets, "the index holds no .env file, private key or keystore") }
        var fix = found.map { "git rm --cached -- \(Self.shellQuoted($0.path))" }
        fix.append("then make sure .gitignore covers them, commit, and rotate every key they held: they stay in the git history (see `keywarden scan --history`)")
        return .fail(.trackedSecrets, "\(found.count) secret file\(found.count == 1 ? " is" : "s are") tracked",
                     details: found.map { "\($0.path) (\($0.reason))" }, fix: fix)
    }
}
