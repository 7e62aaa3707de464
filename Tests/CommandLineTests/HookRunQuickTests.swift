import ArgumentParser
import Testing
@testable import keywarden

/// `hook run`'s quick reading must agree with argument-parser's and leave everything unusual to it.
@Suite struct HookRunQuickTests {
    static let accepted: [[String]] = [
        ["pre-commit"], ["pre-commit", "a.txt", "dir/b.env"], ["pre-push", "origin", "git@example.com:team/app.git"],
    ]

    @Test(arguments: accepted)
    func sameAsArgumentParser(_ arguments: [String]) throws {
        let quick = try #require(Keywarden.HookRun.quick(arguments))
        let full = try #require(try Keywarden.HookRun.parseAsRoot(arguments) as? Keywarden.HookRun)
        #expect(quick.kind.rawValue == full.hook)
        #expect(quick.arguments == full.arguments)
    }

    static let declined: [[String]] = [[], ["post-commit"], ["pre-commit", "--help"], ["pre-commit", "-h"], ["pre-push", "--", "x"], ["--help"]]

    @Test(arguments: declined)
    func leavesTheRestToArgumentParser(_ arguments: [String]) {
        #expect(Keywarden.HookRun.quick(arguments) == nil)
    }
}
