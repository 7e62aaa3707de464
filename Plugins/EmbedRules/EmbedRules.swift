import Foundation
import PackagePlugin

/// Generates `EmbeddedRules.swift` from the package's `rules/*.toml`, so that the built binary carries
/// its default rules with it wherever it is copied; and `BuildInfo.swift` with the version (the `VERSION`
/// file, the one place it is written) and the commit the binary was built from.
@main
struct EmbedRules: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let package = context.package.directoryURL
        let rulesDir = package.appending(path: "rules")
        let files = try FileManager.default.contentsOfDirectory(at: rulesDir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "toml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedRules.swift")
        let tool = try context.tool(named: "RuleEmbedder").url
        let versionFile = package.appending(path: "VERSION")
        let commit = GitHead(package: package)
        let info = context.pluginWorkDirectoryURL.appending(path: "BuildInfo.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) rule files",
                executable: tool,
                arguments: [output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            ),
            .buildCommand(
                displayName: "Recording the version and commit",
                executable: tool,
                arguments: ["--build-info", info.path, versionFile.path, commit.id],
                // The files that move when HEAD moves, so that a new commit rebuilds this.
                inputFiles: [versionFile] + commit.files,
                outputFiles: [info]
            ),
        ]
    }
}

/// The commit checked out in the package's git work tree, read from `.git` without running git: HEAD,
/// the branch's ref file or `packed-refs` (linked work trees and submodules, whose `.git` is a file, too).
/// `KEYWARDEN_COMMIT` in the environment wins (builds from a source tarball); "unknown" when neither says.
struct GitHead {
    var id = "unknown"
    var files: [URL] = []

    init(package: URL) {
        if let forced = ProcessInfo.processInfo.environment["KEYWARDEN_COMMIT"], !forced.isEmpty {
            id = forced
            return
        }
        let dotGit = package.appending(path: ".git")
        var gitDir = dotGit
        if let text = try? String(contentsOf: dotGit, encoding: .utf8), text.hasPrefix("gitdir:") {
            let path = text.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            gitDir = path.hasPrefix("/") ? URL(fileURLWithPath: path) : package.appending(path: path)
        }
        var common = gitDir
        if let text = try? String(contentsOf: gitDir.appending(path: "commondir"), encoding: .utf8) {
            let path = text.trimmingCharacters(in: .whitespacesAndNewlines)
            common = path.hasPrefix("/") ? URL(fileURLWithPath: path) : gitDir.appending(path: path)
        }
        let head = gitDir.appending(path: "HEAD")
        guard let text = try? String(contentsOf: head, encoding: .utf8) else { return }
        files.append(head)
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("ref:") else {
            id = Self.hex(line) ?? "unknown"
            return
        }
        let ref = line.dropFirst("ref:".count).trimmingCharacters(in: .whitespaces)
        for base in [gitDir, common] {
            let file = base.appending(path: ref)
            if let value = try? String(contentsOf: file, encoding: .utf8), let hex = Self.hex(value) {
                files.append(file)
                id = hex
                return
            }
        }
        let packed = common.appending(path: "packed-refs")
        if let text = try? String(contentsOf: packed, encoding: .utf8) {
            files.append(packed)
            for entry in text.split(separator: "\n") where entry.hasSuffix(" " + ref) {
                if let hex = Self.hex(String(entry.prefix(while: { $0 != " " }))) { id = hex }
            }
        }
    }

    /// A full object id, shortened to 12 digits.
    static func hex(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.count >= 40, t.allSatisfy(\.isHexDigit) else { return nil }
        return String(t.prefix(12))
    }
}
