import Foundation

/// The libFuzzer driver every fuzz target shares. SwiftPM gives an executable its own `main`, so each target's
/// `main.swift` calls `FuzzSupport.run` with its one-input function, which hands libFuzzer's
/// `LLVMFuzzerRunDriver` the C entry below (built with `-sanitize=fuzzer,address`, scripts/fuzz.sh).
public enum FuzzSupport {
    /// The target's one-input function; set once by `run` before libFuzzer calls the entry.
    nonisolated(unsafe) static var target: ((UnsafeBufferPointer<UInt8>) -> Void)?

    /// Runs libFuzzer with the process's arguments on `fuzzOne`, and exits with its status.
    public static func run(_ fuzzOne: @escaping (UnsafeBufferPointer<UInt8>) -> Void) -> Never {
        target = fuzzOne
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(runFuzzer(&argc, &argv) { data, size in testOneInput(data, size) })
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    FuzzSupport.target?(UnsafeBufferPointer(start: data, count: size))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzer(_ argc: UnsafeMutablePointer<Int32>,
               _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32
