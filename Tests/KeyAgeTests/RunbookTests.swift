import KeyAge
import Testing

@Suite struct RunbookTests {
    @Test func maintainXStepsInOrder() {
        let r = Runbook(provider: "MaintainX", keyID: "mx-prod", variable: "MAINTAINX_API_KEY")
        #expect(r.provider == "maintainx")
        let text = r.text
        let order = ["Settings > Integrations > API Keys", "Store", "GET https://api.getmaintainx.com/v1/organizations?limit=1",
                     "200", "CI/CD", "Revoke the old key", "answer 401", "keywarden keys rotated mx-prod --from-env MAINTAINX_API_KEY"]
        var cursor = text.startIndex
        for needle in order {
            let found = text.range(of: needle, range: cursor..<text.endIndex)
            #expect(found != nil, "missing or out of order: \(needle)")
            if let found { cursor = found.upperBound }
        }
        #expect(text.contains("keywarden verify --provider maintainx --from-env MAINTAINX_API_KEY"))
    }

    @Test func mindtickleVerifiesAtTheAuthTokenEndpoint() {
        let text = Runbook(provider: "mindtickle").text
        #expect(text.contains("POST https://api.mindtickle.com/services/data/auth_token"))
        #expect(text.contains("keywarden keys rotated <id> --from-env <VAR>"))
    }

    @Test func genericForAnyOtherProviderInRotationOrder() {
        let r = Runbook(provider: "acme", keyID: "acme-prod", variable: "ACME_KEY")
        #expect(r.title == "Rotate a key from acme")
        #expect(r.text.hasPrefix(r.title + "\n1. "))
        // What a rotation must do, in the order it must be done: a new key working before the old one dies,
        // and the ledger told last.
        let order = ["Generate a new key", "Store the new key", "ACME_KEY", "keywarden verify --provider acme --from-env ACME_KEY",
                     "Update CI/CD", "Revoke the old key", "old key must be rejected",
                     "keywarden keys rotated acme-prod --from-env ACME_KEY"]
        var cursor = r.text.startIndex
        for needle in order {
            let found = r.text.range(of: needle, range: cursor..<r.text.endIndex)
            #expect(found != nil, "missing or out of order: \(needle)")
            if let found { cursor = found.upperBound }
        }
        // Each step is numbered, one per line, from 1 with no gap.
        let numbers = r.text.split(separator: "\n").dropFirst().compactMap { line in line.split(separator: ".").first.flatMap { Int($0) } }
        #expect(numbers == Array(1...max(1, numbers.count)))
        #expect(numbers.count == r.steps.count)
    }
}
