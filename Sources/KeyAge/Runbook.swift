/// The steps to rotate a provider's key, ending with recording the rotation in the ledger.
public struct Runbook: Sendable, Equatable {
    public let provider: String
    /// A one-line title.
    public let title: String
    /// The steps, in order.
    public let steps: [String]

    /// Providers with their own runbook; any other name gets the generic one.
    public static let knownProviders = ["maintainx", "mindtickle"]

    /// The runbook for `provider` (case-insensitive); `keyID` and `variable` fill the commands when given.
    public init(provider: String, keyID: String? = nil, variable: String? = nil) {
        let id = keyID ?? "<id>"
        let v = variable ?? "<VAR>"
        let p = provider.lowercased()
        self.provider = p
        let record = "Record the rotation: keywarden keys rotated \(id) --from-env \(v) (it refuses the old key)."
        switch p {
        case "maintainx":
            title = "Rotate a MaintainX API key"
            steps = [
                "Generate: in MaintainX, Settings > Integrations > API Keys, generate a new key. It is shown once.",
                "Store: put the new key in the secret manager (or the untracked .env) as \(v), next to the old one.",
                "Verify the new key: keywarden verify --provider maintainx --from-env \(v) "
                    + "(GET https://api.getmaintainx.com/v1/organizations?limit=1 must answer 200).",
                "Update CI/CD secrets and every deployment that uses the key; redeploy and watch for 401s.",
                "Revoke the old key: Settings > Integrations > API Keys, revoke it.",
                "Confirm the old key is dead: the same request with the old key must answer 401.",
                record,
            ]
        case "mindtickle":
            title = "Rotate a Mindtickle API key pair"
            steps = [
                "Generate a new api_key/secret_key pair (Mindtickle publishes no self-service procedure: ask your Mindtickle administrator or account contact).",
                "Store: put the new pair in the secret manager (or the untracked .env) as \(v) and its secret-key variable.",
                "Verify the new pair: keywarden verify --provider mindtickle --from-env \(v) "
                    + "(POST https://api.mindtickle.com/services/data/auth_token with api_key, secret_key and ls_url "
                    + "must answer 200; 404 \"Learning Site not found!\" means the US host api.prod-us.mindtickle.com).",
                "Update CI/CD secrets and every deployment that uses the pair.",
                "Have the old pair revoked by whoever issued it.",
                "Confirm the old pair is dead: the auth_token request with the old pair must answer 401 or 403.",
                record,
            ]
        default:
            title = "Rotate a key from \(provider)"
            steps = [
                "Generate a new key in the provider's console (keep the old one working for now).",
                "Store the new key in the secret manager (or the untracked .env) as \(v).",
                "Verify the new key: keywarden verify --provider \(p) --from-env \(v), or one cheap authenticated request that must succeed.",
                "Update CI/CD secrets and every deployment that uses the key.",
                "Revoke the old key in the provider's console.",
                "Confirm the old key is dead: the same request with the old key must be rejected.",
                record,
            ]
        }
    }

    /// Numbered steps under the title, one per line.
    public var text: String {
        ([title] + steps.enumerated().map { "\($0.offset + 1). \($0.element)" }).joined(separator: "\n") + "\n"
    }
}
