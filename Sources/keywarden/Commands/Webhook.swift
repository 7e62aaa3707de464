import ArgumentParser
import Foundation
import Webhooks

extension Keywarden {
    /// `keywarden webhook …`: webhook signature tools.
    struct Webhook: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "webhook",
            abstract: "Verify webhook signatures (MaintainX, Makini, GitHub, Stripe, Slack, generic HMAC-SHA256).",
            subcommands: [Verify.self]
        )
    }
}

extension Keywarden.Webhook {
    /// `keywarden webhook verify`: checks one delivery's signature against a secret.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Verify one webhook delivery: the raw body on standard input, the signature as an option.",
            discussion: """
                Schemes: \(WebhookScheme.allCases.map(\.rawValue).joined(separator: ", ")).
                The secret comes from an environment variable (--secret-env) or a file (--secret-file), never \
                from the command line. The body is read from standard input as raw bytes (no newline is \
                stripped); with --uri (MaintainX's URI signature) the URI is signed instead and standard \
                input is not read.
                Exit codes: 0 valid, 1 invalid (bad signature, stale or future timestamp, malformed or \
                missing signature), 2 usage error.
                """
        )

        @Option(help: "The signing scheme: \(WebhookScheme.allCases.map(\.rawValue).joined(separator: ", ")).")
        var scheme: String

        @Option(name: .customLong("secret-env"), help: ArgumentHelp("The NAME of the environment variable holding the secret.", valueName: "VAR"))
        var secretEnv: String?

        @Option(name: .customLong("secret-file"), help: ArgumentHelp("A file holding the secret (one trailing line break is ignored).", valueName: "PATH"))
        var secretFile: String?

        @Option(help: ArgumentHelp("The signature header's value, e.g. 't=…,v1=…' or 'sha256=…' (use --signature=VALUE if it starts with '-').", valueName: "VALUE"))
        var signature: String

        @Option(help: ArgumentHelp("Slack only: the X-Slack-Request-Timestamp value.", valueName: "T"))
        var timestamp: String?

        @Option(help: ArgumentHelp("Seconds the signed timestamp may differ from now, either way (default 300).", valueName: "SECONDS"))
        var tolerance: Int?

        @Flag(name: .customLong("no-tolerance"), help: "Skip the timestamp window check (for replaying recorded deliveries).")
        var noTolerance = false

        @Option(help: ArgumentHelp("MaintainX only: verify the URI signature over this full request URI instead of the body.", valueName: "URI"))
        var uri: String?

        @Option(help: ArgumentHelp("hmac-sha256 only: a prefix the signature must start with, e.g. 'sha256='.", valueName: "PREFIX"))
        var prefix: String?

        @Option(help: ArgumentHelp("The largest body read from standard input (K, M, G suffixes; default 64M): a larger one is an error (exit 2).", valueName: "SIZE"))
        var maxBodySize: String = "64M"

        func validate() throws {
            guard ByteSize.parse(maxBodySize) != nil else {
                throw ValidationError("--max-body-size: '\(maxBodySize)' is not a size (e.g. 512K, 64M)")
            }
        }

        func run() throws {
            if let name = Self.headerName(in: signature) {
                throw CommandFailure("--signature got a whole header line ('\(name): …'): pass only the header's value, "
                    + "what comes after '\(name):' (e.g. --signature='sha256=…' or --signature='t=…,v1=…')")
            }
            let resolved = try resolvedScheme()
            let verifier: WebhookVerifier
            do {
                verifier = try WebhookVerifier(scheme: resolved, secret: try readSecret(), tolerance: try resolvedTolerance(for: resolved),
                                               signaturePrefix: prefix)
            } catch let error as WebhooksError {
                throw CommandFailure(error.message)
            }
            let payload = try uri.map { Array($0.utf8) }
                ?? Terminal.readStandardInput(limit: ByteSize.parse(maxBodySize) ?? 64 << 20, option: "--max-body-size")
            let verdict = verifier.verify(payload: payload, signature: signature, timestamp: timestamp, now: Date())

            let colour = Terminal.colourEnabled()
            switch verdict {
            case .valid:
                print(Style.green.apply("valid", enabled: colour) + ": \(resolved.rawValue) signature verified")
            case .invalid(let failure):
                var line = Style.red.apply("invalid", enabled: colour) + ": " + failure.message
                if failure == .staleTimestamp || failure == .futureTimestamp, let tolerance = verifier.tolerance {
                    line += " [tolerance \(Int(tolerance)) s]"
                }
                Terminal.say(line)
                throw FindingsExit()
            }
        }

        /// The header name when `value` is a whole header line (`X-Hub-Signature-256: sha256=…`) rather than
        /// its value; nil otherwise. No scheme's signature value starts with a name and a colon.
        static func headerName(in value: String) -> String? {
            guard let colon = value.firstIndex(of: ":") else { return nil }
            let name = value[..<colon]
            guard let first = name.first, first.isLetter,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
            return String(name)
        }

        /// The scheme, with `--uri` selecting MaintainX's URI variant; options that do not apply are errors.
        private func resolvedScheme() throws -> WebhookScheme {
            guard let named = WebhookScheme(rawValue: scheme.lowercased()) else {
                throw CommandFailure("unknown scheme '\(scheme)'; use one of: " + WebhookScheme.allCases.map(\.rawValue).joined(separator: ", "))
            }
            var resolved = named
            if uri != nil {
                guard named == .maintainx || named == .maintainxURI else {
                    throw CommandFailure("--uri applies only to --scheme maintainx (its URI signature)")
                }
                resolved = .maintainxURI
            } else if named == .maintainxURI {
                throw CommandFailure("--scheme maintainx-uri needs --uri URI (the full request URI that was signed)")
            }
            if timestamp != nil, resolved != .slack {
                throw CommandFailure(resolved.timestampInSignature
                    ? "--timestamp applies only to slack; \(resolved.rawValue) carries its timestamp in the signature (t=)"
                    : "--timestamp applies only to slack; \(resolved.rawValue) signatures carry no timestamp")
            }
            if resolved == .slack, timestamp == nil {
                throw CommandFailure("--scheme slack needs --timestamp T (the X-Slack-Request-Timestamp value)")
            }
            if prefix != nil, resolved != .hmacSHA256 {
                throw CommandFailure("--prefix applies only to --scheme hmac-sha256")
            }
            return resolved
        }

        /// Seconds, or nil for `--no-tolerance`.
        private func resolvedTolerance(for scheme: WebhookScheme) throws -> TimeInterval? {
            if tolerance != nil || noTolerance {
                guard scheme.isTimestamped else {
                    throw CommandFailure("\(scheme.rawValue) signatures carry no timestamp: --tolerance and --no-tolerance do not apply")
                }
            }
            if noTolerance {
                guard tolerance == nil else { throw CommandFailure("give either --tolerance or --no-tolerance, not both") }
                return nil
            }
            guard let tolerance else { return WebhookVerifier.defaultTolerance }
            guard tolerance > 0 else {
                throw CommandFailure("--tolerance must be a positive number of seconds (use --no-tolerance to skip the check)")
            }
            return TimeInterval(tolerance)
        }

        /// The secret's bytes from exactly one of `--secret-env` and `--secret-file`. Errors name the
        /// variable or file, never the value.
        private func readSecret() throws -> [UInt8] {
            switch (secretEnv, secretFile) {
            case (nil, nil):
                throw CommandFailure("give the secret with --secret-env VAR or --secret-file PATH (never on the command line)")
            case (.some, .some):
                throw CommandFailure("give either --secret-env or --secret-file, not both")
            case (let name?, nil):
                // Name the variable only when it looks like one, in case a secret was pasted as the name.
                let looksLikeName = !name.isEmpty && name.utf8.count <= 64 && name.utf8.first.map { !(48...57).contains($0) } == true
                    && name.utf8.allSatisfy { (65...90).contains($0) || (48...57).contains($0) || $0 == 95 }
                let shown = looksLikeName ? "environment variable " + name : "the environment variable given to --secret-env"
                guard let value = Terminal.environment[name], !value.isEmpty else {
                    throw CommandFailure("\(shown) is not set or is empty")
                }
                return Array(value.utf8)
            case (nil, let path?):
                let data: Data
                do {
                    data = try Data(contentsOf: URL(fileURLWithPath: path))
                } catch {
                    throw CommandFailure("cannot read the secret file \(path): \(Self.reason(error, path: path))")
                }
                var bytes = Array(data)
                if bytes.last == 10 { bytes.removeLast(); if bytes.last == 13 { bytes.removeLast() } }
                guard !bytes.isEmpty else { throw CommandFailure("the secret file \(path) is empty") }
                return bytes
            }
        }

        /// Why `path` could not be read, in a few words.
        private static func reason(_ error: Error, path: String) -> String {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
            if isDirectory.boolValue { return "it is a directory" }
            if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
            return (error as NSError).localizedDescription
        }
    }
}
