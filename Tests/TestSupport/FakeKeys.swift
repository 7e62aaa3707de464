import Credentials
import Foundation
import Hashing

/// Fake credentials assembled at run time, so that no secret-shaped literal ever sits in the repository.
public enum FakeKeys {
    public static let alnum = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    public static let lowerHex = Array("0123456789abcdef")

    /// `count` random characters from `alphabet`.
    public static func random(_ alphabet: [Character], _ count: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }

    /// Random high-entropy alphanumerics.
    public static func alnum(_ count: Int) -> String { random(alnum, count) }

    /// Random lowercase hex.
    public static func hex(_ count: Int) -> String { random(lowerHex, count) }

    /// A random version-4 UUID in lowercase.
    public static func uuid() -> String { UUID().uuidString.lowercased() }

    /// A MaintainX-shaped API key: HS256 JWT with the vendor's claims, signed with a random key.
    public static func maintainX(userID: Int = 41_234, organizationID: Int? = 98_765,
                                 issuedAt: Int = 1_735_689_600, keyID: String = uuid()) -> String {
        let header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
        var claims = "{\"userId\":\(userID),"
        if let organizationID { claims += "\"organizationId\":\(organizationID)," }
        claims += "\"iat\":\(issuedAt),\"sub\":\"\(MaintainXKey.subject)\",\"jti\":\"\(keyID)\"}"
        return jwt(header: header, payload: claims)
    }

    /// Any JWT with the given header and payload JSON, signed with a random key.
    public static func jwt(header: String, payload: String) -> String {
        let signingInput = Base64.encode(Array(header.utf8), urlSafe: true) + "." + Base64.encode(Array(payload.utf8), urlSafe: true)
        var rng = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let sig = Digest.hmacSHA256(key: key, message: Array(signingInput.utf8))
        return signingInput + "." + Base64.encode(sig, urlSafe: true)
    }

    /// A Mindtickle-shaped pair: 40 and 96 lowercase hex characters.
    public static func mindtickle() -> (apiKey: String, secretKey: String) { (hex(40), hex(96)) }

    /// Joins parts at run time (for prefixes that would otherwise form a secret-shaped literal).
    public static func join(_ parts: String...) -> String { parts.joined() }
}
