import ArgumentParser
import Foundation
import Hashing
import SecretScanner
import GitRepository
import KeyAge

extension Keywarden.Keys {
    /// Options every `keys` subcommand takes: where the ledger is, and (for tests) what day it is.
    struct LedgerOptions: ParsableArguments {
        @Option(name: .customLong("ledger"), help: ArgumentHelp(
            "The ledger file (default: .keywarden/keys.toml at the git work tree root, else in this folder).",
            valueName: "path"))
        var ledgerPath: String?

        @Option(name: .customLong("today"), help: .hidden)
        var today: String?

        /// The ledger file to use: `--ledger`, else `.keywarden/keys.toml` at the root of the work tree.
        var path: String {
            if let ledgerPath { return ledgerPath }
            let cwd = FileManager.default.currentDirectoryPath
            return (GitRepository.enclosingWorkTree(of: cwd) ?? cwd) + "/" + KeyLedger.defaultRelativePath
        }

        var store: LedgerStore { LedgerStore(path: path) }

        /// Reads the ledger (an error when there is none, or it is malformed).
        func load() throws -> KeyLedger {
            let store = self.store
            return try ledgerCall { () throws(KeyAgeError) in try store.load() }
        }

        /// Changes the ledger under its lock (see `LedgerStore.update`), turning errors into command failures.
        @discardableResult
        func update<R>(_ change: (inout KeyLedger) throws(KeyAgeError) -> R) throws -> R {
            let store = self.store
            return try ledgerCall { () throws(KeyAgeError) in try store.update(change) }
        }

        /// Today in UTC, or `--today` / `KEYWARDEN_TODAY` (for tests and for planning ahead).
        func currentDate() throws -> CalendarDate {
            if let text = today ?? Terminal.environment["KEYWARDEN_TODAY"] {
                guard let d = CalendarDate(text) else { throw CommandFailure("--today must be a date like 2026-01-15, not '\(text)'") }
                return d
            }
            return CalendarDate.today()
        }
    }

    /// Where a key value comes from. The value is only fingerprinted; it is never printed or stored.
    struct KeySourceOptions: ParsableArguments {
        @Option(name: .customLong("from-env"), help: ArgumentHelp("Read the key from this environment variable.", valueName: "VAR"))
        var fromEnv: String?

        @Option(name: .customLong("from-dotenv"), help: ArgumentHelp("Read the key from variable VAR of a dotenv file.", valueName: "FILE:VAR"))
        var fromDotenv: String?

        @Flag(name: .customLong("stdin"), help: "Read the key from standard input.")
        var stdin = false

        /// Where the key came from, for messages (never the value).
        var sourceName: String {
            if let fromEnv { return "$\(fromEnv)" }
            if let fromDotenv { return fromDotenv }
            return "standard input"
        }

        /// The facts of the key given, or nil when no source was given.
        func facts() throws -> KeyFacts? { try factsAndValue()?.facts }

        /// The facts of the key given and its value (read once: standard input cannot be read twice), or nil
        /// when no source was given. The value is for recognition only: never printed or stored.
        func factsAndValue() throws -> (facts: KeyFacts, value: String)? {
            let count = [fromEnv != nil, fromDotenv != nil, stdin].filter { $0 }.count
            guard count <= 1 else { throw CommandFailure("give one of --from-env, --from-dotenv, --stdin") }
            guard let secret = try readSecret() else { return nil }
            let fingerprinter = try ProjectContext.current().fingerprinter()
            let facts = try ledgerCall { () throws(KeyAgeError) in
                try KeyFacts(secret: secret, fingerprinter: fingerprinter)
            }
            fingerprinter.printNotes()
            return (facts, secret)
        }

        /// The variable name the key comes under (`--from-env VAR`, `--from-dotenv FILE:VAR`); nil for standard input.
        var variableName: String? {
            if let fromEnv { return fromEnv }
            if let fromDotenv, let colon = fromDotenv.lastIndex(of: ":") { return String(fromDotenv[fromDotenv.index(after: colon)...]) }
            return nil
        }

        private func readSecret() throws -> String? {
            if let fromEnv {
                guard let v = Terminal.environment[fromEnv], !v.isEmpty else {
                    throw CommandFailure("environment variable \(fromEnv) is not set or empty")
                }
                return v
            }
            if let fromDotenv {
                guard let colon = fromDotenv.lastIndex(of: ":"), colon != fromDotenv.startIndex else {
                    throw CommandFailure("--from-dotenv takes FILE:VAR, e.g. .env:MAINTAINX_API_KEY")
                }
                let file = String(fromDotenv[..<colon]), name = String(fromDotenv[fromDotenv.index(after: colon)...])
                guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("\(file): cannot read") }
                guard let v = DotEnv.value(of: name, in: String(decoding: data, as: UTF8.self)), !v.isEmpty else {
                    throw CommandFailure("\(file): \(name) is not set")
                }
                return v
            }
            if stdin {
                let v = String(decoding: try Terminal.readStandardInput(), as: UTF8.self)
                guard !v.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw CommandFailure("no key on standard input") }
                return v
            }
            return nil
        }
    }

    /// A `--location` value, checked (`SCHEME:PATH`).
    static func location(_ text: String?) throws -> String? {
        guard let text else { return nil }
        guard TrackedKey.isLocation(text) else {
            throw CommandFailure("--location must be SCHEME:PATH, e.g. env:MAINTAINX_API_KEY, vault:secret/app/key or aws-sm:prod/key, not '\(text.prefix(80))'")
        }
        return text
    }

    /// `read, write:workorders` → `["read", "write:workorders"]`; an empty list means no scopes.
    static func scopeList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Who made a change and why, recorded in the key's history.
    struct EventOptions: ParsableArguments {
        @Option(name: .customLong("by"), help: "Who did it (default: the login name).") var by: String?
        @Option(name: .customLong("reason"), help: "Why (scheduled, leaked, staff change, ...).") var reason: String?

        /// `--by`, else the login name.
        var actor: String? {
            by ?? Terminal.environment["USER"] ?? Terminal.environment["LOGNAME"]
        }
    }

    /// Parses a `--date`-style option.
    static func date(_ text: String?, option: String) throws -> CalendarDate? {
        guard let text else { return nil }
        guard let d = CalendarDate(text) else { throw CommandFailure("\(option) must be a date like 2026-01-15, not '\(text)'") }
        return d
    }
}

/// Runs a KeyAge call, turning its error into a command failure (exit 2) that names file and line.
@discardableResult
func ledgerCall<R>(_ body: () throws(KeyAgeError) -> R) throws -> R {
    do {
        return try body()
    } catch {
        throw CommandFailure(error.description)
    }
}
