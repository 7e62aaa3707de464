import ArgumentParser

extension Keywarden {
    /// `keywarden keys ...`: the key ledger and its 90-day rotation schedule.
    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys",
            abstract: "Track the keys you hold, their age and their rotation schedule (default every 90 days).",
            discussion: """
                The ledger (default .keywarden/keys.toml at the root of the git work tree) holds ids, owners, \
                dates and fingerprints, never a key. Commit it and review changes like code.
                """,
            subcommands: [
                Add.self, Import.self, Update.self, Rotated.self, Status.self, Check.self, Calendar.self, TimelineReport.self, Runbook.self,
                Revoke.self, Remove.self, MarkLeaked.self, Age.self,
            ]
        )
    }
}
