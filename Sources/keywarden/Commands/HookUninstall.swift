import ArgumentParser
import Foundation

extension Keywarden {
    /// `keywarden hook uninstall`: removes keywarden's hooks and puts back the hooks they chained.
    struct HookUninstall: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "uninstall",
            abstract: "Remove keywarden's hooks and restore the hooks they chained, byte for byte."
        )

        func run() throws {
            let placement = try HookPlacement.current()
            let fm = FileManager.default
            var removed = 0
            for kind in HookScript.Kind.allCases {
                let path = placement.hooksDirectory + "/" + kind.rawValue
                let chained = path + HookScript.chainedSuffix
                guard let data = fm.contents(atPath: path) else { continue }
                guard HookScript.isKeywardenHook(String(decoding: data, as: UTF8.self)) else {
                    Terminal.say("keywarden: \(path) is not keywarden's hook: left alone")
                    continue
                }
                do {
                    try fm.removeItem(atPath: path)
                    removed += 1
                    if fm.fileExists(atPath: chained) || (try? fm.destinationOfSymbolicLink(atPath: chained)) != nil {
                        try fm.moveItem(atPath: chained, toPath: path)
                        Terminal.say("keywarden: removed the \(kind.rawValue) hook and restored the one it chained: \(path)")
                    } else {
                        Terminal.say("keywarden: removed the \(kind.rawValue) hook: \(path)")
                    }
                } catch {
                    throw CommandFailure("cannot uninstall \(path): \(error.localizedDescription)")
                }
            }
            if removed == 0 { Terminal.say("keywarden: no keywarden hook is installed in \(placement.hooksDirectory)") }
        }
    }
}
