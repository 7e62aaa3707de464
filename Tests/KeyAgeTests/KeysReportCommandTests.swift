import Foundation
import Testing
import TestSupport

/// `keywarden keys report`: the HTML timeline, through the built binary, and in headless Chromium.
@Suite struct KeysReportCommandTests {
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    @Test func writesOneSelfContainedPageAndEscapesWhatTheLedgerSays() throws {
        let dir = try TemporaryDirectory()
        let ledger = dir.path("keys.toml")
        let env = ["KEYWARDEN_TODAY": "2026-11-23"]
        let add = try Run.keywarden(["keys", "add", "<b>odd&id</b>", "--provider", "acme", "--env", "prod\"x", "--owner", "o'neil",
                                     "--created", "2026-08-18", "--ledger", ledger], environment: env)
        #expect(add.status == 0, "\(add.stderr)")
        let out = try Run.keywarden(["keys", "report", "--ledger", ledger], environment: env)
        #expect(out.status == 0)
        let html = out.stdout
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("&lt;b&gt;odd&amp;id&lt;/b&gt;") && !html.contains("<b>odd"))
        #expect(html.contains("data-environment=\"prod&quot;x\"") && html.contains("Owner: o&#39;neil"))
        #expect(html.contains("default-src 'none'"), "a Content-Security-Policy that forbids every load")
        for forbidden in ["<script", "<link", "http://", "https://", "url("] { #expect(!html.contains(forbidden), "\(forbidden)") }

        let file = dir.path("rotations.html")
        let written = try Run.keywarden(["keys", "report", "--output", file, "--ledger", ledger], environment: env)
        #expect(written.status == 0 && written.stderr.contains("Wrote the rotation timeline of 1 key"))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == html)
        let dash = try Run.keywarden(["keys", "report", "--output", "-", "--ledger", ledger], in: dir.path(), environment: env)
        #expect(dash.status == 0 && dash.stdout == html && !FileManager.default.fileExists(atPath: dir.path("-")))
        #expect(try Run.keywarden(["keys", "report", "--output", dir.path("no/such/dir/r.html"), "--ledger", ledger], environment: env).status == 2)
        #expect(try Run.keywarden(["keys", "report", "--ledger", dir.path("missing.toml")], environment: env).status == 2)
    }

    /// Renders, keys at the right dates, colours applied, no request, prints (Tests/Browser/report_browser_test.py).
    @Test func rendersInHeadlessChromium() throws {
        let script = Self.packageRoot + "/Tests/Browser/report_browser_test.py"
        let run = try Run.program("/usr/bin/env", ["python3", script, Run.keywardenPath],
                                  environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("report browser test: ok"))
    }
}
