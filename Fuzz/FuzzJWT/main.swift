import FuzzSupport
import Credentials
import Foundation

/// Base64 decoding, JWT splitting and its JSON parser.
func fuzzOne(_ bytes: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: bytes, as: UTF8.self)
    _ = Base64.decode(text)
    _ = JSONWebToken(text)
    _ = JSONValue.parse(Array(bytes))
}

FuzzSupport.run(fuzzOne)
