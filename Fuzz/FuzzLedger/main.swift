import FuzzSupport
import Foundation
import KeyAge

/// The key ledger reader (`.keywarden/keys.toml`).
func fuzzOne(_ bytes: UnsafeBufferPointer<UInt8>) {
    _ = try? KeyLedger.parse(String(decoding: bytes, as: UTF8.self), file: "keys.toml")
}

FuzzSupport.run(fuzzOne)
