/// A MaintainX REST API key, recognised by decoding its JWT header and claims.
///
/// MaintainX keys are HS256 JWTs whose payload holds `userId`, `organizationId` (optional), `iat`,
/// `sub == "REST_API_AUTH"` and a UUID `jti`, and no `exp`: a key is valid until revoked, and its
/// creation time can be read from the key itself.
public struct MaintainXKey: Sendable, Equatable {
    /// The MaintainX user the key belongs to.
    public let userID: Int64
    /// The organization, when the key names one.
    public let organizationID: Int64?
    /// Creation time, Unix seconds.
    public let issuedAt: Int64
    /// The key's id: safe to store and show (it is not the secret).
    public let keyID: String

    /// The fixed `sub` claim of MaintainX API keys.
    public static let subject = "REST_API_AUTH"

    /// Decodes and validates `token`; nil when it is not a MaintainX API key.
    public init?(token: some StringProtocol) {
        var text = Substring(token)
        if text.hasPrefix("Bearer ") { text = text.dropFirst(7) }
        guard let jwt = JSONWebToken(text),
              jwt.header["alg"]?.stringValue == "HS256",
              jwt.payload["sub"]?.stringValue == Self.subject,
              let user = jwt.payload["userId"]?.integerValue,
              let iat = jwt.payload["iat"]?.integerValue, iat > 0,
              let jti = jwt.payload["jti"]?.stringValue, Self.isUUID(jti),
              jwt.signature.count == 32
        else { return nil }
        if let org = jwt.payload["organizationId"] {
            guard let o = org.integerValue else { return nil }
            organizationID = o
        } else {
            organizationID = nil
        }
        userID = user
        issuedAt = iat
        keyID = jti
    }

    /// True for the canonical 8-4-4-4-12 hexadecimal UUID form.
    static func isUUID(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 36 else { return false }
        for (i, c) in u.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                if c != UInt8(ascii: "-") { return false }
            } else if !((48...57).contains(c) || (97...102).contains(c) || (65...70).contains(c)) {
                return false
            }
        }
        return true
    }
}
