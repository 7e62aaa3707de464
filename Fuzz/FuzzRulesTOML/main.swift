import FuzzSupport
import Foundation
import SecretRules

/// `.keywarden.toml` (rules, allowlists, [hook], [doctor]) and the user's config.toml.
func fuzzOne(_ bytes: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? ProjectSettings.parse(text, file: "fuzz.toml")
    _ = try? UserSettings.parse(text, file: "config.toml")
}

FuzzSupport.run(fuzzOne)
