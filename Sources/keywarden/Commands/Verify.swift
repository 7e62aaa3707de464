import ArgumentParser
import Foundation
import Hashing
import SecretScanner
import Verification

extension Keywarden {
    /// `keywarden verify`: asks a provider whether one key is live. The key is read from the environment or
    /// standard input, sent only to the provider's own API host, and never printed.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Ask the provider whether a key is live (valid) or dead (invalid).",
            discussion: """
                Providers: \(Verifiers.all.map(\.provider).joined(separator: ", ")).
                Mindtickle needs the pair and the tenant: --from-env names the API key; the secret key comes from \
                --secret-key-from-env (default: the same name with SECRET_KEY for API_KEY), the tenant from --tenant \
                or MINDTICKLE_LS_URL, MT_LS_URL, MINDTICKLE_COMPANY_ID, MT_COMPANY_ID.
                Exit codes: 0 valid, 1 invalid, 2 unknown, unverifiable or error.
                """
        )

        @Option(name: .long, help: "The provider: maintainx, mindtickle, makini, github, gitlab, slack, stripe, openai.")
        var provider: String

        @Option(name: .customLong("from-env"), help: ArgumentHelp("Read the key from this environment variable.", valueName: "VAR"))
        var fromEnv: String?

        @Flag(name: .customLong("stdin"), help: "Read the key from the first line of standard input.")
        var stdin = false

        @Option(name: .customLong("secret-key-from-env"), help: ArgumentHelp("Mindtickle: the secret key's variable.", valueName: "VAR"))
        var secretKeyFromEnv: String?

        @Option(name: .long, help: ArgumentHelp("Mindtickle: the learning site (acme.mindtickle.com) or company id.", valueName: "TENANT"))
        var tenant: String?

        func validate() throws {
            guard Verifiers.named(provider) != nil else {
                throw ValidationError("unknown provider '\(provider)' (use \(Verifiers.all.map(\.provider).joined(separator: ", ")))")
            }
            guard (fromEnv != nil) != stdin else { throw ValidationError("give the key with exactly one of --from-env VAR, --stdin") }
        }

        func run() throws {
            let environment = Terminal.environment
            let settings: VerificationSettings
            do {
                settings = try VerificationSettings(environment: environment)
            } catch {
                throw CommandFailure("\(error)")
            }
            let provider = self.provider.lowercased()
            let key = try readKey(environment)
            let fingerprinter = try ProjectContext.current().fingerprinter(create: false)
            var credential = Credential(provider: provider, secret: key, fingerprint: fingerprinter.fingerprint(key))
            if provider == "mindtickle" {
                // The key given is the API key; the request needs the secret key as well.
                let secretVariable = secretKeyFromEnv ?? fromEnv.flatMap { $0.contains("API_KEY") ? $0.replacingOccurrences(of: "API_KEY", with: "SECRET_KEY") : nil }
                guard let secretVariable, let secret = environment[secretVariable], !secret.isEmpty else {
                    throw CommandFailure("Mindtickle needs the secret key too: give --secret-key-from-env VAR"
                        + (secretKeyFromEnv.map { " ($\($0) is not set or empty)" } ?? ""))
                }
                credential = Credential(provider: provider, secret: secret, fingerprint: fingerprinter.fingerprint(secret),
                                        partnerSecret: key, tenant: tenant ?? Self.tenant(from: environment))
            }
            let result = VerificationSession(settings: settings).verify(credential)
            let name = Verifiers.named(provider)?.displayName ?? provider
            Terminal.say("\(name) key from \(fromEnv.map { Self.shownName($0) } ?? "standard input") (fingerprint \(credential.fingerprint.prefix(16))…): \(result)")
            switch result.state {
            case .valid: return
            case .invalid: throw FindingsExit()
            case .unknown, .unverifiable: throw ExitCode(2)
            }
        }

        private func readKey(_ environment: [String: String]) throws -> String {
            if let fromEnv {
                guard let v = environment[fromEnv]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else {
                    throw CommandFailure("environment variable \(Self.shownName(fromEnv)) is not set or empty")
                }
                return v
            }
            let data = try Terminal.readStandardInput()
            let first = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            let key = first.trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { throw CommandFailure("no key on standard input") }
            return key
        }

        /// How `--from-env NAME` is shown: `$NAME` when it looks like a variable name (letters, digits and
        /// `_`, at most 64, no long run of mixed case and digits); anything else may be a key pasted in the
        /// wrong place and is never echoed.
        static func shownName(_ name: String) -> String {
            let plain = !name.isEmpty && name.count <= 64
                && name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
                && !(name.unicodeScalars.first.map { ("0"..."9").contains($0) } ?? true)
            let mixed = name.contains { $0.isLowercase } && name.contains { $0.isUppercase } && name.contains { $0.isNumber }
            return plain && !mixed && name.count <= 40 ? "$" + name : "given to --from-env (not shown: it looks like a key, not a variable name)"
        }

        /// A Mindtickle tenant from the usual variables.
        static func tenant(from environment: [String: String]) -> String? {
            for name in ["MINDTICKLE_LS_URL", "MT_LS_URL", "MINDTICKLE_COMPANY_ID", "MT_COMPANY_ID"] {
                if let v = environment[name], !v.isEmpty { return v }
            }
            return nil
        }
    }
}
