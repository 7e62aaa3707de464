/// XML and property lists: `<clientSecret>v</clientSecret>`, `<add key="X" value="v"/>` (through the
/// token extractor's name/value pairs), `<property name="x">v</property>`, and plist
/// `<key>X</key><string>v</string>`. Elements that open on a line of their own give the path.
enum Markup {
    static func extract(_ b: [UInt8]) -> [NamedValue] {
        guard b.count > 6, contains(b, Array("</".utf8)) else { return [] }
        var out = [NamedValue]()
        var path = [String]()
        var plistKey: (name: String, line: Int)?
        // A credential's id labels the fields after it in the same element (Jenkins' credentials.xml:
        // `<id>algolia-api-key</id>` then `<secret>v</secret>`), as in ``Assignments``' records.
        var record: (label: String, line: Int, depth: Int)?
        var line = 0
        var i = 0
        let n = b.count
        while i < n {
            guard b[i] == 60 else {
                if b[i] == 10 { line += 1 }
                i += 1
                continue
            }
            // A tag: <name attrs> or </name> or <name/>.
            var j = i + 1
            let closing = j < n && b[j] == 47
            if closing { j += 1 }
            let nameStart = j
            while j < n, Tokenizer.isWordByte(b[j]) || b[j] == 46 || b[j] == 45 || b[j] == 58 { j += 1 }
            let tag = String(decoding: b[nameStart..<j], as: UTF8.self)
            var k = j
            while k < n, b[k] != 62, b[k] != 60 { k += 1 }
            guard !tag.isEmpty, k < n, b[k] == 62 else { i += 1; continue }
            let attrs = String(decoding: b[j..<k], as: UTF8.self)
            let selfClosing = k > 0 && b[k - 1] == 47
            let afterTag = k + 1
            if closing {
                if let idx = path.lastIndex(of: tag) { path.removeSubrange(idx...) }
                if let r = record, path.count < r.depth { record = nil }
                i = afterTag
                continue
            }
            if selfClosing { i = afterTag; continue }
            // Text up to the next '<'.
            var t = afterTag
            while t < n, b[t] != 60 { t += 1 }
            var vs = afterTag, ve = t
            while vs < ve, [32, 9, 10, 13].contains(b[vs]) { vs += 1 }
            while ve > vs, [32, 9, 10, 13].contains(b[ve - 1]) { ve -= 1 }
            let closesHere = t + 2 + tag.utf8.count < n && b[t + 1] == 47 && b[(t + 2)..<(t + 2 + tag.utf8.count)].elementsEqual(tag.utf8)
            if closesHere, ve > vs {
                var text = String(decoding: b[vs..<ve], as: UTF8.self)
                if text.hasPrefix("<![CDATA[") && text.hasSuffix("]]>") { text = String(text.dropFirst(9).dropLast(3)) }
                let lineHere = line + b[i..<vs].filter { $0 == 10 }.count
                if tag == "key" {
                    plistKey = (text, lineHere)
                } else if tag == "string" || tag == "data", let key = plistKey, lineHere - key.line <= 2 {
                    out.append(NamedValue(path: path, name: key.name, value: NamedValues.clean(text), range: vs..<ve, derived: false))
                    plistKey = nil
                } else if NamedValues.recordIdElements.contains(tag), Assignments.recordLabel(of: text) {
                    record = (text, lineHere, path.count)
                } else {
                    let name = attribute(["name", "key", "id"], in: attrs) ?? tag
                    var parents = path
                    if let r = record, r.depth == path.count, lineHere - r.line <= 4 { parents.append(r.label) }
                    out.append(NamedValue(path: parents, name: name, value: NamedValues.clean(text), range: vs..<ve, derived: text.contains("&")))
                }
            } else if !closesHere, tag.first != "?", tag.first != "!" {
                path.append(attribute(["name", "key", "id"], in: attrs).map { "\(tag).\($0)" } ?? tag)
            }
            i = afterTag
        }
        return out
    }

    private static func attribute(_ names: [String], in attrs: String) -> String? {
        let a = Array(attrs.utf8)
        for name in names {
            for quote in [UInt8(34), UInt8(39)] {
                let needle = Array(" \(name)=".utf8) + [quote]
                guard let at = find(needle, in: a) else { continue }
                let start = at + needle.count
                guard let close = a[start...].firstIndex(of: quote), close > start else { continue }
                return String(decoding: a[start..<close], as: UTF8.self)
            }
        }
        return nil
    }

    static func find(_ needle: [UInt8], in b: [UInt8]) -> Int? {
        guard !needle.isEmpty, needle.count <= b.count else { return nil }
        var i = 0
        while i + needle.count <= b.count {
            if b[i] == needle[0], b[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    static func contains(_ b: [UInt8], _ needle: [UInt8]) -> Bool { find(needle, in: b) != nil }
}
