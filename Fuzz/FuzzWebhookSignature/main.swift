import Foundation
import Webhooks

/// Every scheme's signature-header parser through the public verifier: the first byte picks the scheme,
/// the rest is the header value (and the timestamp).
func fuzzOne(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let first = bytes.first else { return }
    let schemes = WebhookScheme.allCases
    let scheme = schemes[Int(first) % schemes.count]
    let header = String(decoding: bytes.dropFirst(), as: UTF8.self)
    guard let verifier = try? WebhookVerifier(scheme: scheme, secret: "fuzz-secret") else { return }
    _ = verifier.verify(payload: Array("{}".utf8), signature: header, timestamp: header, now: Date(timeIntervalSince1970: 1_700_000_000))
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
