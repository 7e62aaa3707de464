import FuzzSupport
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

FuzzSupport.run(fuzzOne)
