import Foundation
import Testing

/// A lint of `Containerfile` against the files it must agree with. `make release-check` builds and runs the
/// image's final stage from the tarball; the `build` stage needs the official Swift image, which cannot be
/// pulled on the machine this is developed on, so what that stage depends on is checked here instead: the
/// packages the build needs (`scripts/install-deps.sh --build-only`), the release build command
/// (`scripts/dist.sh`), the runtime libraries (docs/install.md) and the stages' wiring.
@Suite struct ContainerfileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: root.appendingPathComponent(path).path, encoding: .utf8)
    }

    struct Stage {
        var name: String?
        var base: String
        var instructions: [(keyword: String, arguments: String)] = []

        /// The packages `apt-get install` installs in this stage.
        var aptPackages: Set<String> {
            var out = Set<String>()
            for (keyword, arguments) in instructions where keyword == "RUN" {
                for command in arguments.components(separatedBy: "&&") where command.contains("apt-get install") {
                    let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                    guard let at = words.firstIndex(of: "install") else { continue }
                    out.formUnion(words[(at + 1)...].filter { !$0.hasPrefix("-") && $0 != "\\" })
                }
            }
            return out
        }

        func last(_ keyword: String) -> String? { instructions.last { $0.keyword == keyword }?.arguments }
    }

    /// The file's stages in order, with continuation lines joined and comments left out; `ARG`s before the
    /// first `FROM` are returned apart.
    static func stages(_ text: String) -> (globalArgs: [String], stages: [Stage]) {
        var logical = [String]()
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && (line.isEmpty || line.hasPrefix("#")) { continue }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
            } else {
                logical.append(pending + line)
                pending = ""
            }
        }
        var globalArgs = [String]()
        var stages = [Stage]()
        for line in logical {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let keyword = parts[0].uppercased(), arguments = parts.count > 1 ? parts[1] : ""
            if keyword == "FROM" {
                let words = arguments.split(separator: " ").map(String.init)
                let name = words.count == 3 && words[1].uppercased() == "AS" ? words[2] : nil
                stages.append(Stage(name: name, base: words[0]))
            } else if stages.isEmpty {
                if keyword == "ARG" { globalArgs.append(String(arguments.split(separator: "=")[0])) }
            } else {
                stages[stages.count - 1].instructions.append((keyword, arguments))
            }
        }
        return (globalArgs, stages)
    }

    @Test func theStagesAreWiredAndTheFinalImageRunsKeywardenAsAUserInRepo() throws {
        let (globalArgs, stages) = Self.stages(try Self.read("Containerfile"))
        let names = stages.compactMap(\.name)
        #expect(Set(names).count == names.count, "stage names repeat: \(names)")
        #expect(names.contains("build") && names.contains("runtime") && names.contains("prebuilt"))
        for stage in stages {
            // A base named by an ARG needs the ARG declared before the first FROM; otherwise it is a stage or an image.
            if stage.base.hasPrefix("${") {
                #expect(globalArgs.contains(String(stage.base.dropFirst(2).dropLast())), "\(stage.base) is not declared")
            }
            for (keyword, arguments) in stage.instructions where keyword == "COPY" && arguments.hasPrefix("--from=") {
                let from = String(arguments.dropFirst("--from=".count).split(separator: " ")[0])
                #expect(names.contains(from), "COPY --from=\(from): no such stage")
            }
        }
        let final = try #require(stages.last)
        #expect(final.name == nil && final.base == "runtime", "the default target is the runtime stage with the built binary")
        #expect(final.instructions.contains { $0.keyword == "COPY" && $0.arguments == "--from=build /usr/local/bin/keywarden /usr/local/bin/keywarden" })
        let runtime = try #require(stages.first { $0.name == "runtime" })
        let user = try #require(runtime.last("USER"))
        #expect(user != "root" && user != "0", "the image must not run as root")
        #expect(runtime.last("WORKDIR") == "/repo")
        #expect(runtime.last("ENTRYPOINT") == "[\"/usr/local/bin/keywarden\"]")
    }

    /// The build stage installs every package the build needs and builds as the tarball does.
    @Test func theBuildStageInstallsWhatTheBuildNeedsAndBuildsLikeTheTarball() throws {
        let (_, stages) = Self.stages(try Self.read("Containerfile"))
        let build = try #require(stages.first { $0.name == "build" })
        let deps = try Self.read("scripts/install-deps.sh")
        let list = try #require(deps.split(separator: "\n").first { $0.hasPrefix("packages=(") })
        let needed = Set(list.dropFirst("packages=(".count).prefix { $0 != ")" }.split(separator: " ").map(String.init))
        #expect(needed.contains("libgit2-dev"), "could not read the package list of install-deps.sh")
        #expect(needed.subtracting(build.aptPackages).isEmpty, "the build stage lacks \(needed.subtracting(build.aptPackages).sorted())")
        let dist = try Self.read("scripts/dist.sh")
        let distBuild = try #require(dist.split(separator: "\n").first { $0.hasPrefix("swift build") })
        let runs = build.instructions.filter { $0.keyword == "RUN" }.map(\.arguments)
        #expect(runs.contains { $0.contains(String(distBuild)) }, "the build stage must run `\(distBuild)`")
    }

    /// The runtime stage installs the Debian packages of docs/install.md's library table (those not in every
    /// Debian image) and nothing to build with.
    @Test func theRuntimeStageInstallsTheDocumentedLibrariesOnly() throws {
        let (_, stages) = Self.stages(try Self.read("Containerfile"))
        let runtime = try #require(stages.first { $0.name == "runtime" })
        let doc = try Self.read("docs/install.md")
        let table = try #require(doc.range(of: "<!-- runtime-libraries -->").flatMap { start in
            doc.range(of: "<!-- /runtime-libraries -->").map { String(doc[start.upperBound..<$0.lowerBound]) }
        })
        var documented = Set<String>()
        for row in table.split(separator: "\n") where row.hasPrefix("| `") {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count >= 2 { documented.insert(cells[1]) }
        }
        #expect(documented.contains("libgit2-1.5"), "could not read docs/install.md's table")
        let essential: Set<String> = ["libc6", "libgcc-s1"]  // in every Debian image
        let installed = runtime.aptPackages
        #expect(documented.subtracting(essential).subtracting(installed).isEmpty,
                "the runtime stage lacks \(documented.subtracting(essential).subtracting(installed).sorted())")
        #expect(installed.subtracting(documented).subtracting(["ca-certificates"]).isEmpty,
                "the runtime stage installs more than the table: \(installed.subtracting(documented).sorted())")
        #expect(!installed.contains { $0.hasSuffix("-dev") || $0 == "git" || $0.hasPrefix("swift") })
    }
}
