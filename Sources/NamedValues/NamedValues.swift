/// Finds named values in text: assignments and declarations in many languages, defaults after an
/// environment lookup, keys of structured files (YAML, JSON, TOML/INI, .properties, XML/plist, HCL, CSV),
/// values inside values (escaped JSON, query strings, headers, flags), and split string literals joined.
///
/// Each syntax family has its own small extractor: `Assignments` (tokens: names, separators, fallbacks,
/// split literals), `Markup` (XML and plists), `Properties`, `Table` (CSV) and `Expansions` (`${X:-v}`);
/// strings that hold text of their own (escaped JSON, a header, a query) are extracted again, recursively.
public enum NamedValues {
    /// How deep strings inside strings are followed.
    static let maxDepth = 2

    /// XML elements whose text is a credential's id, labelling the fields after it (Jenkins' credentials.xml).
    public static let recordIdElements = ["id", "credentialsId", "credentialId"]

    /// The named values of `bytes`. `path` (the file's path) picks the extractors that need it (CSV,
    /// `.properties`); it is not part of any value's name.
    public static func extract(_ bytes: UnsafeRawBufferPointer, path: String = "") -> [NamedValue] {
        extract(Array(bytes), path: path, depth: 0)
    }

    public static func extract(_ text: String, path: String = "") -> [NamedValue] {
        extract(Array(text.utf8), path: path, depth: 0)
    }

    static func extract(_ bytes: [UInt8], path: String, depth: Int, outer: [String] = []) -> [NamedValue] {
        var found = [NamedValue]()
        let lower = path.lowercased()
        if depth == 0, lower.hasSuffix(".properties") { found += Properties.extract(bytes) }
        if depth == 0, lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") { found += Table.extract(bytes, tab: lower.hasSuffix(".tsv")) }
        if depth == 0, lower.hasSuffix(".md") || lower.hasSuffix(".markdown") || lower.hasSuffix(".mdx") { found += Table.markdown(bytes) }
        if depth == 0, let style = BlankSeparated.style(lowercasedPath: lower) { found += BlankSeparated.extract(bytes, style: style) }
        found += Expansions.extract(bytes)
        // Before the assignments: `[DEBUG] Using acme Key=v` is theirs too, but without the words naming acme.
        if depth == 0, LabelledLines.applies(lowercasedPath: lower) { found += LabelledLines.extract(bytes) }
        var assignments = Assignments(bytes: bytes, depth: depth)
        found += assignments.run()
        if depth == 0 {
            found += Markup.extract(bytes)
        }
        if !outer.isEmpty {
            for i in found.indices { found[i].path = outer + found[i].path }
        }
        return firstPerPlace(found)
    }

    /// One value per place and name (normalized): the first extractor that saw it wins (the specialised ones run
    /// first). Names are normalized only where a place was seen before: most places hold one value, and a set
    /// of places and names hashed a string for every value of every file.
    static func firstPerPlace(_ found: [NamedValue]) -> [NamedValue] {
        var out = [NamedValue]()
        out.reserveCapacity(found.count)
        // Per offset, the last value kept there (an index into `out`); per value kept, the one kept there before.
        var lastAt = [Int: Int](minimumCapacity: found.count)
        var before = [Int]()
        before.reserveCapacity(found.count)
        for v in found {
            let offset = v.range.lowerBound
            if let last = lastAt[offset] {
                let name = NamedValue.normalize(v.name)
                var k = last
                while k >= 0, NamedValue.normalize(out[k].name) != name { k = before[k] }
                guard k < 0 else { continue }
                before.append(last)
            } else {
                before.append(-1)
            }
            lastAt[offset] = out.count
            out.append(v)
        }
        return out
    }

    /// True for a file whose lines may name a value with blanks alone: `.properties` (`Properties`), Dockerfiles,
    /// `.conf` and `.cfg` files (`BlankSeparated`).
    public static func blankSeparatesNames(lowercasedPath lower: String) -> Bool {
        lower.hasSuffix(".properties") || BlankSeparated.style(lowercasedPath: lower) != nil
    }

    /// True for a file whose names need not be followed by an operator: those where blanks alone may name a
    /// value, and notes and logs, whose labelled lines take the words before the label as parents (`LabelledLines`).
    public static func namesStandAlone(lowercasedPath lower: String) -> Bool {
        blankSeparatesNames(lowercasedPath: lower) || LabelledLines.applies(lowercasedPath: lower)
    }

    /// True for notes and logs, whose labelled lines also take `ACCESS` or `PRIVATE` after a vendor's name as
    /// the label of its key (`LabelledLines.keyLabels`).
    public static func labelsKeys(lowercasedPath lower: String) -> Bool {
        LabelledLines.applies(lowercasedPath: lower)
    }

    /// The value with quoting leftovers and an authorization scheme removed.
    static func clean(_ raw: String) -> String {
        // On bytes, and the value itself when nothing is removed: this runs for every value of every file, and
        // walking Characters (grapheme breaking) cost more than the rest of it.
        let u = raw.utf8
        var lo = u.startIndex, hi = u.endIndex
        while lo < hi, u[lo] == 32 || u[lo] == 9 { u.formIndex(after: &lo) }
        while lo < hi {
            let p = u.index(before: hi)
            let c = u[p]
            guard c == 32 || c == 9 || c == 13 || c == 59 || c == 44 else { break }  // blank, CR, ; ,
            hi = p
        }
        if u.distance(from: lo, to: hi) >= 2, u[lo] == 34 || u[lo] == 39, u[u.index(before: hi)] == u[lo] {
            u.formIndex(after: &lo)
            u.formIndex(before: &hi)
        }
        for scheme in authorizationSchemes where u[lo..<hi].starts(with: scheme) {
            lo = u.index(lo, offsetBy: scheme.count)
            while lo < hi, u[lo] == 32 { u.formIndex(after: &lo) }
            break
        }
        if lo == u.startIndex, hi == u.endIndex { return raw }
        return String(raw[lo..<hi])
    }

    /// Authorization schemes written before a token (`Bearer v`), removed from a value.
    private static let authorizationSchemes: [[UInt8]] = ["Bearer ", "bearer ", "Token ", "token ", "Bot "].map { Array($0.utf8) }
}
