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

    @Test func genericForAnyOtherProvider() {
        let r = Runbook(provider: "acme")
        #expect(r.title == "Rotate a key from acme")
        #expect(r.steps.count == 7)
        #expect(r.text.contains("keywarden verify --provider acme"))
        #expect(r.text.hasPrefix(r.title + "\n1. "))
    }
}
