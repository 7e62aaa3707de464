import Foundation
import SecretRules

/// `.keywarden.toml` (rules, allowlists, [hook], [doctor]) and the user's config.toml.
func fuzzOne(_ bytes: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? ProjectSettings.parse(text, file: "fuzz.toml")
    _ = try? UserSettings.parse(text, file: "config.toml")
}

// libFuzzer drives the loop: SwiftPM gives an executable its own `main`, so the entry calls libFuzzer's
// LLVMFuzzerRunDriver with the one-input function (built with `-sanitize=fuzzer,address`, scripts/fuzz.sh).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    fuzzOne(UnsafeBufferPointer(start: data, count: size))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzer(_ argc: UnsafeMutablePointer<Int32>,
               _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(runFuzzer(&argc, &argv) { data, size in testOneInput(data, size) })
