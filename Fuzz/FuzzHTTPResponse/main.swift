import FuzzSupport
import Foundation
@testable import Verification

/// The HTTP/1.x response parser of live verification (status line, headers, Content-Length, chunked
/// bodies), fed in pieces as a connection would: the first byte sets the piece size.
func fuzzOne(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let first = bytes.first else { return }
    let piece = Int(first % 64) + 1
    let input = Array(bytes.dropFirst())
    var at = 0
    let parser = ResponseParser(maxBodyBytes: 4096)
    let response = try? parser.parse { () throws(VerificationError) -> [UInt8] in
        let end = min(input.count, at + piece)
        defer { at = end }
        return Array(input[at..<end])
    }
    if let response { precondition(response.body.count <= 4096 && (100...599).contains(response.status)) }
}

FuzzSupport.run(fuzzOne)
