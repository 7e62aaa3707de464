import Credentials
import Testing
import TestSupport

@Suite struct CredentialsTests {
    @Test func byteNeedlesAnswerAsSearchingForEachNeedle() {
        let lists = [["***", "•", "…", "###"], ["here", "her", "e"], ["xxxxxxxx", "<"], ["abc"]]
        let texts = ["", "e", "her", "heR", "xx•", "•", "…x", "a##", "a###", "xxxxxxx", "xxxxxxxx", "ab", "zabc", "abcz", "ab<"]
        for list in lists {
            let needles = ByteNeedles(list)
            for text in texts {
                #expect(needles.occur(in: text) == list.contains { ByteSearch.contains(text, $0) }, "\(list) in \(text)")
            }
        }
        #expect(ByteNeedles(["***", "…"]).occur(in: "sk_…"))
        #expect(!ByteNeedles(["***", "…"]).occur(in: "sk_**"))
        #expect(ByteNeedles(["abc"]).occur(in: "xxabc"))
        #expect(!ByteNeedles(["abc"]).occur(in: "xxab"))
        #expect(ByteNeedles(["", "q"]).occur(in: "x"))
    }

    @Test func commitDatesPrintInTheAuthorsOffset() {
        #expect(CivilDate.iso8601(unixSeconds: 1_700_000_100, offsetMinutes: 0) == "2023-11-14T22:15:00+00:00")
        #expect(CivilDate.iso8601(unixSeconds: 1_700_003_600, offsetMinutes: 90) == "2023-11-15T00:43:20+01:30")
        #expect(CivilDate.iso8601(unixSeconds: 0, offsetMinutes: -300) == "1969-12-31T19:00:00-05:00")
    }

    @Test func base64RoundTripsInBothAlphabets() throws {
        for n in 0..<40 {
            let bytes = (0..<n).map { UInt8(($0 * 37 + n) % 256) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
            #expect(Base64.decode(Base64.encode(bytes, urlSafe: true)) == bytes)
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.decode("Zm9v!") == nil)
    }

    @Test func maintainXKeyDecodesItsClaims() throws {
        let jti = FakeKeys.uuid()
        let token = FakeKeys.maintainX(userID: 7, organizationID: 99, issuedAt: 1_700_000_000, keyID: jti)
        let key = try #require(MaintainXKey(token: token))
        #expect(key.userID == 7 && key.organizationID == 99 && key.issuedAt == 1_700_000_000 && key.keyID == jti)
        #expect(MaintainXKey(token: "Bearer " + token) != nil)
        let noOrg = try #require(MaintainXKey(token: FakeKeys.maintainX(organizationID: nil)))
        #expect(noOrg.organizationID == nil)
    }

    @Test func otherJWTsAreNotMaintainXKeys() {
        let other = FakeKeys.jwt(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: #"{"userId":1,"iat":5,"sub":"someone","jti":"x"}"#)
        #expect(JSONWebToken(other) != nil)
        #expect(MaintainXKey(token: other) == nil)
        let rs = FakeKeys.jwt(header: #"{"alg":"RS256","typ":"JWT"}"#,
                              payload: #"{"userId":1,"iat":5,"sub":"REST_API_AUTH","jti":"\#(FakeKeys.uuid())"}"#)
        #expect(MaintainXKey(token: rs) == nil)
        #expect(MaintainXKey(token: "not.a.jwt") == nil)
    }

    @Test func checksumMatchesZlibCRC32() {
        #expect(Checksum.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksum.base62(0, width: 6) == "000000")
        #expect(Checksum.base62(61, width: 1) == "z")
        let body = FakeKeys.alnum(30)
        #expect(Checksum.hasTrailingBase62CRC(body + Checksum.base62(Checksum.crc32(Array(body.utf8)))))
        #expect(!Checksum.hasTrailingBase62CRC(body + "000000") || Checksum.crc32(Array(body.utf8)) == 0)
    }
}
