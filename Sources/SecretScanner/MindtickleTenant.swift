/// The tenant of a Mindtickle key pair found in the lines around it: a learning site (`acme.mindtickle.com`,
/// from `ls_url` or any `*.mindtickle.com` host other than the API hosts) or else a `company_id`. The tenant is
/// not a secret; live verification needs it.
enum MindtickleTenant {
    /// Lines searched before the pair's first line and after its last.
    static let lineReach = 5
    /// Bytes searched either side at most, whatever the line lengths.
    static let byteReach = 4096

    static func find(in buffer: UnsafeRawBufferPointer, around range: Range<Int>) -> String? {
        guard !range.isEmpty, range.upperBound <= buffer.count else { return nil }
        var lo = range.lowerBound, newlines = 0
        let floor = max(0, range.lowerBound - byteReach)
        while lo > floor {
            if buffer[lo - 1] == 0x0A { newlines += 1; if newlines > lineReach { break } }
            lo -= 1
        }
        var hi = range.upperBound
        newlines = 0
        let ceiling = min(buffer.count, range.upperBound + byteReach)
        while hi < ceiling {
            if buffer[hi] == 0x0A { newlines += 1; if newlines > lineReach { break } }
            hi += 1
        }
        let text = Array(UnsafeRawBufferPointer(rebasing: buffer[lo..<hi])).map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
        return site(in: text) ?? companyID(in: text)
    }

    private static func isHostByte(_ b: UInt8) -> Bool {
        (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 45 || b == 46
    }

    /// The first `<site>.mindtickle.com` that is not an API host.
    static func site(in text: [UInt8]) -> String? {
        let suffix = Array(".mindtickle.com".utf8)
        var i = 0
        while i + suffix.count <= text.count {
            defer { i += 1 }
            guard text[i] == 46, text[i..<(i + suffix.count)].elementsEqual(suffix) else { continue }
            let after = i + suffix.count
            if after < text.count, isHostByte(text[after]), text[after] != 46 { continue }
            var start = i
            while start > 0, isHostByte(text[start - 1]) { start -= 1 }
            guard start < i else { continue }
            let host = String(decoding: text[start..<after], as: UTF8.self)
            if host.hasPrefix("api.") || host.hasPrefix("www.") || host.hasPrefix(".") { continue }
            return host
        }
        return nil
    }

    /// The digits assigned to the first `company_id` / `companyid` / `company-id`.
    static func companyID(in text: [UInt8]) -> String? {
        for name in ["company_id", "companyid", "company-id"] {
            let n = Array(name.utf8)
            var i = 0
            while i + n.count <= text.count {
                defer { i += 1 }
                guard text[i..<(i + n.count)].elementsEqual(n) else { continue }
                var j = i + n.count
                while j < text.count, [32, 9, 34, 39, 58, 61, 62].contains(text[j]) { j += 1 }
                var k = j
                while k < text.count, text[k] >= 48, text[k] <= 57 { k += 1 }
                if k - j >= 3, k - j <= 32 { return String(decoding: text[j..<k], as: UTF8.self) }
            }
        }
        return nil
    }
}
