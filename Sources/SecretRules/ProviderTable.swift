/// The provider table of docs/rules.md, generated from the rules (`keywarden rules list --format providers`;
/// `scripts/rules-doc.sh` puts it into the page and a test fails when the page is stale).
public enum ProviderTable {
    /// One Markdown row per provider, sorted by name: its rule ids, the forms they cover, the verifier of
    /// its findings and where the format facts come from (the rules' `reference` addresses).
    public static func markdown(_ rules: [Rule]) -> String {
        var byProvider = [String: [Rule]]()
        for r in rules { byProvider[r.provider, default: []].append(r) }
        var out = "| provider | rules | forms | verifier | format facts from |\n|---|---|---|---|---|\n"
        for provider in byProvider.keys.sorted() {
            let group = byProvider[provider] ?? []
            let ids = group.map { "`\($0.id)`" }.joined(separator: ", ")
            let forms = Set(group.flatMap { RuleForm.of($0) }).sorted().map(\.rawValue).joined(separator: ", ")
            let verifiers = Set(group.compactMap(\.verifier)).sorted().joined(separator: ", ")
            var references = [String]()
            for r in group { if let ref = r.reference, !references.contains(ref) { references.append(ref) } }
            let facts = references.map { "<\($0)>" }.joined(separator: " ")
            out += "| \(escape(provider)) | \(ids) | \(forms) | \(verifiers.isEmpty ? "-" : verifiers) | \(facts.isEmpty ? "-" : facts) |\n"
        }
        return out
    }

    static func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
