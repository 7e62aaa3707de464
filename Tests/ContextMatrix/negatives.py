"""Hard negatives: files that look like the vendors' credentials live there, holding none.

Two sources: every non-split context template rendered with a stand-in (placeholder, reference, masked
value) instead of the credential, and dedicated templates for references, other issuers' JWTs, hashes
under sha/commit/etag names, Mindtickle tenants, UUIDs, Stripe keys and vendor documentation examples.

A dedicated negative may hold a real secret of another issuer (a Stripe key, an RS256 id token): `allow`
names the providers whose findings are correct there; a finding of any other provider is a false
positive, and one of the three vendors always is.
"""

from common import fill
from profiles import DISPLAY, KINDS, Doc, Profile, Val

NEGATIVES = []


def negative(fn):
    NEGATIVES.append(fn)
    return fn


def stand_in(f, p, markup=False) -> tuple:
    """(category, text) of a value that is not a credential, in one of the styles people write."""
    env = p.env()
    real = f.value(p.kind)
    choices = [
        ("placeholder", f"<{env}>"), ("placeholder", "x" * f.pick([8, 24, 32, 40])), ("placeholder", "changeme"),
        ("placeholder", "REPLACE_ME"), ("placeholder", "***"), ("placeholder", "your-key-here"), ("placeholder", ""),
        ("placeholder", "your-api-key-here"), ("placeholder", "your_api_key_here"), ("placeholder", "new_key_here"),
        ("placeholder", "NEW_KEY"), ("placeholder", "<your-key>"), ("placeholder", "{YOUR_SECRET_KEY}"),
        ("placeholder", "REDACTED"), ("placeholder", "dummy"), ("placeholder", "TODO"),
        ("placeholder", "<insert-" + p.leaf("kebab") + "-here>"),
        ("placeholder", "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX"),
        ("placeholder", "0123456789abcdef0123456789abcdef01234567"),
        ("reference", "{{" + env + "}}"), ("reference", "${" + env + "}"), ("reference", "$" + env), ("reference", "{{ .Values." + p.section("camel") + "." + p.leaf("camel") + " }}"),
        ("reference", "op://Platform/" + p.Vendor + "/" + p.leaf("kebab")),
        ("reference", "vault:secret/data/" + p.vendor + "#" + p.leaf()),
        ("masked", "********"), ("masked", "[MASKED]"), ("masked", f.masked(real)), ("masked", f.masked(real)),
    ]
    if p.vendor == "maintainx":
        choices.append(("placeholder", "mx-prod-key-here"))
    if p.vendor == "mindtickle":
        choices.append(("placeholder", "sk" + "_live_***"))
    if markup:
        choices = [c for c in choices if "<" not in c[1] and "&" not in c[1]]
    return f.pick(choices)


def container_negatives(f, templates):
    """Every non-split template, for every kind, with a stand-in value."""
    out = []
    for t in templates:
        if getattr(t, "split", False):
            continue
        for kind in KINDS:
            doc = Doc(f, negative=True)
            p = Profile(doc, kind, None)
            category, text = stand_in(f, p, getattr(t, "markup", False))
            p.v = Val(doc, kind, text, expect=False)
            path, body = t(p)
            out.append(dict(path=path, text=body, category=category, template=t.__name__, kind=kind, allow=[]))
    return out


# -- dedicated negatives ------------------------------------------------------------------------------
# Each returns a list of (path, text, category, allow).

@negative
def helm_deployment_reference(f):
    out = []
    for vendor, leaf in [("maintainx", "apiKey"), ("mindtickle", "secretKey"), ("makini", "clientSecret"),
                         ("makini", "webhookSecret"), ("maintainx", "webhookSecret"), ("mindtickle", "apiKey")]:
        out.append(("charts/bridge/templates/deployment.yaml", fill('''
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ include "bridge.fullname" . }}
            spec:
              template:
                spec:
                  containers:
                    - name: worker
                      image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
                      env:
                        - name: «ENV»
                          value: {{ .Values.«vendor».«leaf» | quote }}
                        - name: «VENDOR»_BASE_URL
                          value: {{ .Values.«vendor».baseUrl | quote }}
            ''', ENV=vendor.upper() + "_" + "".join("_" + c if c.isupper() else c.upper() for c in leaf),
                        vendor=vendor, leaf=leaf, VENDOR=vendor.upper()), "reference", []))
    return out


@negative
def k8s_secret_key_ref(f):
    out = []
    for vendor, key in [("maintainx", "api-key"), ("mindtickle", "secret-key"), ("makini", "client-secret"),
                        ("makini", "access-token"), ("maintainx", "webhook-secret"), ("makini", "webhook-secret")]:
        env = (vendor + "_" + key).upper().replace("-", "_")
        out.append(("deploy/k8s/worker.yaml", fill('''
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: «vendor»-sync
            spec:
              template:
                spec:
                  containers:
                    - name: sync
                      image: ghcr.io/example/«vendor»-sync:2.0.1
                      env:
                        - name: «env»
                          valueFrom:
                            secretKeyRef:
                              name: «vendor»-credentials
                              key: «key»
            ''', vendor=vendor, key=key, env=env), "reference", []))
    return out


@negative
def gha_secrets_reference(f):
    out = []
    for env in ["MAINTAINX_API_KEY", "MAINTAINX_WEBHOOK_SECRET", "MT_API_KEY", "MT_SECRET_KEY",
                "MAKINI_CLIENT_SECRET", "MAKINI_ACCESS_TOKEN", "MAKINI_WEBHOOK_SECRET"]:
        out.append((".github/workflows/sync.yml", fill('''
            name: sync
            on: { workflow_dispatch: {} }
            jobs:
              run:
                runs-on: ubuntu-latest
                env:
                  «env»: ${{ secrets.«env» }}
                  LOG_LEVEL: debug
                steps:
                  - uses: actions/checkout@v4
                  - run: ./scripts/sync.sh
                    env:
                      TOKEN_FROM_STEP: ${{ steps.auth.outputs.token }}
            ''', env=env), "reference", []))
    return out


@negative
def vault_and_op_references(f):
    out = []
    for vendor, leaf in [("maintainx", "api_key"), ("mindtickle", "secret_key"), ("mindtickle", "api_key"),
                         ("makini", "client_secret"), ("makini", "refresh_token"), ("makini", "webhook_secret")]:
        env = f"{vendor.upper()}_{leaf.upper()}"
        out.append((".env.tpl", fill('''
            # Rendered by `op inject -i .env.tpl -o .env`; never commit the output.
            «env»=op://Platform/«Vendor» prod/«leaf»
            «VENDOR»_BASE_URL=https://example.invalid
            ''', env=env, Vendor=DISPLAY[vendor], leaf=leaf, VENDOR=vendor.upper()), "reference", []))
        out.append(("deploy/values-vault.yaml", fill('''
            # bank-vaults injects these at pod start
            env:
              «env»: vault:secret/data/integrations/«vendor»#«leaf»
              «VENDOR»_TIMEOUT: "30"
            ''', env=env, vendor=vendor, leaf=leaf, VENDOR=vendor.upper()), "reference", []))
    return out


@negative
def aws_arn_references(f):
    out = []
    for vendor, leaf in [("maintainx", "api-key"), ("mindtickle", "secret-key"), ("makini", "client-secret"),
                         ("makini", "webhook-secret"), ("maintainx", "webhook-secret")]:
        acct = f.digits(12)
        suffix = f.alnum(6)
        env = f"{vendor}_{leaf}".upper().replace("-", "_")
        out.append(("infra/ecs/task-definition.json", fill('''
            {
              "family": "«vendor»-sync",
              "containerDefinitions": [
                {
                  "name": "sync",
                  "image": "«acct».dkr.ecr.eu-west-1.amazonaws.com/«vendor»-sync:3.2.0",
                  "secrets": [
                    {
                      "name": "«env»",
                      "valueFrom": "arn:aws:secretsmanager:eu-west-1:«acct»:secret:prod/«vendor»/«leaf»-«suffix»"
                    },
                    {
                      "name": "«VENDOR»_ORG",
                      "valueFrom": "arn:aws:ssm:eu-west-1:«acct»:parameter/prod/«vendor»/org"
                    }
                  ]
                }
              ]
            }
            ''', vendor=vendor, acct=acct, env=env, leaf=leaf, suffix=suffix, VENDOR=vendor.upper()), "reference", []))
    return out


@negative
def cloudformation_ref(f):
    out = []
    for vendor, name in [("maintainx", "ApiKey"), ("mindtickle", "SecretKey"), ("makini", "ClientSecret"),
                         ("makini", "WebhookSecret")]:
        V = DISPLAY[vendor]
        out.append(("cfn/integration.yaml", fill('''
            AWSTemplateFormatVersion: "2010-09-09"
            Parameters:
              «V»«name»Param:
                Type: AWS::SSM::Parameter::Value<String>
                NoEcho: true
            Resources:
              SyncFunction:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: python3.12
                  Handler: app.handler
                  Environment:
                    Variables:
                      «V»«name»: !Ref «V»«name»Param
                      «V»Secret2: !Sub "{{resolve:secretsmanager:«vendor»-creds:SecretString:value}}"
            ''', V=V, name=name, vendor=vendor), "reference", []))
    return out


@negative
def sops_encrypted(f):
    out = []
    for vendor, leaves in [("maintainx", ["api_key", "webhook_secret"]), ("mindtickle", ["api_key", "secret_key"]),
                           ("makini", ["client_secret", "refresh_token"]), ("makini", ["webhook_secret"]),
                           ("mindtickle", ["secret_key"])]:
        enc = lambda: f"ENC[AES256_GCM,data:{f.b64(f.pick([30, 48, 72]))},iv:{f.b64(32)},tag:{f.b64(16)},type:str]"
        lines = "\n".join(f"    {leaf}: {enc()}" for leaf in leaves)
        out.append((f"secrets/{vendor}.enc.yaml", fill('''
            «vendor»:
            «lines»
                base_url: «baseenc»
            sops:
                age:
                    - recipient: age1«rec»
                lastmodified: "2026-02-11T08:14:03Z"
                mac: ENC[AES256_GCM,data:«mac»,iv:«iv»,tag:«tag»,type:str]
                unencrypted_suffix: _unencrypted
                version: 3.9.1
            ''', vendor=vendor, lines=lines.replace("\n    ", "\n    "), baseenc=enc(), rec=f.text("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58),
                            mac=f.b64(32), iv=f.b64(32), tag=f.b64(16)), "reference", []))
    return out


@negative
def sealed_secret(f):
    out = []
    for vendor, keys in [("maintainx", ["MAINTAINX_API_KEY"]), ("mindtickle", ["MT_API_KEY", "MT_SECRET_KEY"]),
                         ("makini", ["MAKINI_CLIENT_SECRET", "MAKINI_WEBHOOK_SECRET"]), ("makini", ["MAKINI_REFRESH_TOKEN"])]:
        data = "\n".join(f"    {k}: AgB{f.b64(f.pick([300, 380]))}" for k in keys)
        out.append(("deploy/sealed/credentials.yaml", fill('''
            apiVersion: bitnami.com/v1alpha1
            kind: SealedSecret
            metadata:
              name: «vendor»-credentials
              namespace: integrations
            spec:
              encryptedData:
            «data»
              template:
                metadata:
                  name: «vendor»-credentials
            ''', vendor=vendor, data=data), "reference", []))
    return out


@negative
def env_lookups_without_default(f):
    out = []
    for env in ["MAINTAINX_API_KEY", "MAINTAINX_WEBHOOK_SECRET", "MINDTICKLE_API_KEY", "MT_SECRET_KEY",
                "MAKINI_CLIENT_SECRET", "MAKINI_ACCESS_TOKEN", "MAKINI_WEBHOOK_SECRET"]:
        out.append(("src/env.ts", fill('''
            // Everything secret comes from the environment; nothing has a default.
            function required(name: string): string {
              const value = process.env[name];
              if (!value) throw new Error(`${name} is not set`);
              return value;
            }
            export const «camel» = required("«env»");
            export const fallback = process.env.«env»;
            ''', env=env, camel=env.lower().replace("_", "")), "reference", []))
        out.append(("app/creds.py", fill('''
            import os

            «lower» = os.environ["«env»"]
            «lower»_alt = os.environ.get("«env»")
            if not «lower»:
                raise SystemExit("«env» missing")
            ''', env=env, lower=env.lower()), "reference", []))
        out.append(("config/initializers/keys.rb", fill('''
            KEYS = {
              primary: ENV.fetch("«env»"),
              secondary: ENV["«env»_NEXT"],
            }.freeze
            ''', env=env), "reference", []))
        out.append(("Sources/App/Keys.swift", fill('''
            import Foundation

            enum Keys {
                static let value = ProcessInfo.processInfo.environment["«env»"] ?? ""
                static let javaStyle = "System.getenv(\\"«env»\\")"
            }
            ''', env=env), "reference", []))
    return out


@negative
def other_issuer_jwts(f):
    out = []
    for i in range(24):
        kind = i % 3
        tok = [f.other_hs256_jwt, f.rs256_id_token, f.maintainx_lookalike_jwt][kind]()
        name = f.pick(["session_token", "id_token", "sso_jwt", "user_session", "cookie_jwt", "oidc_token"])
        style = i % 4
        if style == 0:
            path, text = "tests/fixtures/cmms_login.py", fill('''
                # Browser session captured while testing the MaintainX work-order sync UI.
                # This is the SSO session of the test user, not the MaintainX REST API key.
                MAINTAINX_BASE_URL = "https://api.getmaintainx.com/v1"
                «name» = "«tok»"
                ''', name=name, tok=tok)
        elif style == 1:
            path, text = "fixtures/auth.json", fill('''
                {
                  "integration": "maintainx",
                  "note": "OIDC login used by the dashboard, see docs/sso.md",
                  "«name»": "«tok»",
                  "expires_in": 3600
                }
                ''', name=name, tok=tok)
        elif style == 2:
            path, text = "logs/sso-callback.log", fill('''
                2026-05-01T07:00:02Z INFO maintainx-sync: refreshing work orders
                2026-05-01T07:00:03Z DEBUG sso callback received «name»=«tok» state=ok
                ''', name=name, tok=tok)
        else:
            path, text = ".env.local", fill('''
                # MaintainX dashboard login (local dev only)
                MAINTAINX_ORG_ID=«org»
                DASHBOARD_«NAME»=«tok»
                ''', NAME=name.upper(), tok=tok, org=f.digits(6))
        out.append((path, text, "other-jwt", ["generic"]))
    return out


@negative
def hashes_under_hash_names(f):
    out = []
    for vendor in ["maintainx", "mindtickle", "makini"] * 4:
        V = DISPLAY[vendor]
        out.append(("Package.resolved", fill('''
            {
              "pins" : [
                {
                  "identity" : "«vendor»-swift",
                  "kind" : "remoteSourceControl",
                  "location" : "https://github.com/example/«vendor»-swift.git",
                  "state" : {
                    "revision" : "«sha»",
                    "version" : "1.4.2"
                  }
                }
              ],
              "version" : 2
            }
            ''', vendor=vendor, sha=f.hex(40)), "hash", []))
        out.append((".env.build", fill('''
            # «V» sync build metadata (written by CI)
            «SHORT»_BUILD_SHA=«sha»
            «SHORT»_COMMIT=«sha2»
            «SHORT»_ARTIFACT_SHA256=«sha256»
            ''', V=V, SHORT={"maintainx": "MX", "mindtickle": "MT", "makini": "MAKINI"}[vendor],
                              sha=f.hex(40), sha2=f.hex(40), sha256=f.hex(64)), "hash", []))
        out.append((f"release/{vendor}-export.manifest.yaml", fill('''
            # «V» export bundle
            artifact: «vendor»-export-2026.04.zip
            sha384: «sha384»
            sha256: «sha256»
            commit: «commit»
            etag: "«etag»"
            ''', V=V, vendor=vendor, sha384=f.hex(96), sha256=f.hex(64), commit=f.hex(40), etag=f.hex(32)), "hash", []))
        out.append(("logs/http-cache.log", fill('''
            GET https://«host»/ 200 etag="W/\\"«etag»\\"" cache=miss
            GET https://«host»/ 304 if-none-match="W/\\"«etag»\\"" x-request-id=«rid»
            ''', host={"maintainx": "api.getmaintainx.com/v1/assets", "mindtickle": f"{f.word()}.mindtickle.com/api/users",
                       "makini": "api.makini.io/api/work-orders"}[vendor], etag=f.hex(40), rid=f.uuid()), "hash", []))
    return out


@negative
def mindtickle_tenants(f):
    out = []
    for i in range(12):
        t = f.word()
        style = i % 3
        if style == 0:
            text = fill('''
                # Mindtickle tenant (not secret)
                MT_LS_URL=«t».mindtickle.com
                MT_COMPANY_ID=«cid»
                MT_REGION=us
                mindtickle_learning_site_url=https://«t».mindtickle.com/new/ui/learner
                ''', t=t, cid=f.digits(f.pick([12, 16, 19])))
            path = ".env.example"
        elif style == 1:
            text = fill('''
                MINDTICKLE = {
                    "ls_url": "«t».mindtickle.com",
                    "company_id": "«cid»",
                    "api_host": "https://api.prod-us.mindtickle.com",
                    "api_key": os.environ["MT_API_KEY"],
                }
                ''', t=t, cid=f.digits(18))
            path = "reports/mt_settings.py"
        else:
            text = fill('''
                mindtickle:
                  tenant: «t»
                  ls_url: https://«t».mindtickle.com
                  company_id: "«cid»"
                  series_id: "«sid»"
                  module_id: "«mid»"
                ''', t=t, cid=f.digits(19), sid=f.digits(19), mid=f.digits(19))
            path = "config/enablement.yml"
        out.append((path, text, "tenant", []))
    return out


@negative
def uuids_under_id_names(f):
    out = []
    for vendor in ["maintainx", "mindtickle", "makini"] * 3:
        V = DISPLAY[vendor]
        out.append((f"config/{vendor}-ids.yaml", fill('''
            # «V» identifiers (safe to commit)
            «vendor»:
              client_id: «u1»
              webhook_id: «u2»
              organization_uuid: «u3»
              key_id: «u4»
              jti: «u5»
              correlation_id: «u6»
            ''', V=V, vendor=vendor, u1=f.uuid(), u2=f.uuid(), u3=f.uuid(), u4=f.uuid(), u5=f.uuid(), u6=f.uuid()),
                    "uuid", []))
    return out


@negative
def stripe_in_stripe_context(f):
    out = []
    for i in range(12):
        key = f.stripe_live_key()
        t = f.word()
        style = i % 4
        if style == 0:
            path, text = ".env", fill('''
                # Billing
                STRIPE_SECRET_KEY=«key»
                STRIPE_WEBHOOK_TOLERANCE=300
                # Enablement (Mindtickle tenant only, keys come from vault)
                MT_LS_URL=«t».mindtickle.com
                ''', key=key, t=t)
        elif style == 1:
            path, text = "config/settings.yaml", fill('''
                stripe:
                  secret_key: «key»
                  api_version: "2024-06-20"
                mindtickle:
                  ls_url: «t».mindtickle.com
                  company_id: "«cid»"
                ''', key=key, t=t, cid=f.digits(12))
        elif style == 2:
            path, text = "billing/charge.py", fill('''
                import stripe

                # also used by the Mindtickle seat-sync job (seat counts only)
                stripe.api_key = "«key»"
                stripe.max_network_retries = 2
                ''', key=key)
        else:
            path, text = "src/payments.ts", fill('''
                import Stripe from "stripe";
                // Mindtickle licences are billed through Stripe: see billing/README.md
                const stripe = new Stripe("«key»", { apiVersion: "2024-06-20" });
                export default stripe;
                ''', key=key)
        out.append((path, text, "stripe", ["stripe"]))
    return out


@negative
def vendor_documentation(f):
    out = []
    docs = [
        ("maintainx", '''
            # Connecting to MaintainX

            1. In MaintainX, open Settings > Integrations > API Keys and generate a key.
            2. Put it in `.env`:

               ```sh
               MAINTAINX_API_KEY=your-api-key-here
               MAINTAINX_ORG_ID=your-organization-id
               ```

            3. Check it:

               ```sh
               curl -H "Authorization: Bearer $MAINTAINX_API_KEY" \\
                 "https://api.getmaintainx.com/v1/organizations?limit=1"
               ```

            The example key `mx-prod-key-here` in older docs is a placeholder.
            '''),
        ("maintainx", '''
            ## Webhook signatures

            MaintainX signs each delivery. Example headers (the signature is not a secret):

                x-maintainx-webhook-body-signature: t=«ts»,v1=«sig»
                x-maintainx-webhook-uri-signature: t=«ts»,v1=«sig2»

            Verify with `MAINTAINX_WEBHOOK_SECRET=<secret from the subscription> keywarden webhook verify`.
            '''),
        ("mindtickle", '''
            # Mindtickle reports

            Ask the admin for an API key and secret key, then:

            ```python
            MINDTICKLE_API_KEY = "sk_live_***"          # placeholder
            MINDTICKLE_SECRET_KEY = "<your-secret-key>"
            LS_URL = "yourcompany.mindtickle.com"
            ```

            `POST https://api.mindtickle.com/services/data/auth_token` with
            `{"api_key": "{API_KEY}", "secret_key": "{SECRET_KEY}", "ls_url": "..."}` returns a token.
            '''),
        ("makini", '''
            # Makini Link

            Exchange the client credentials for a token:

            ```http
            POST https://api.makini.io/link/token
            Content-Type: application/json

            {"client_id": "YOUR_CLIENT_ID", "client_secret": "YOUR_CLIENT_SECRET"}
            ```

            Response:

            ```json
            {"access_token": "<access_token>", "refresh_token": "<refresh_token>", "token_type": "bearer", "expires_in": 2592000}
            ```
            '''),
        ("makini", '''
            ## Makini webhooks

            Each delivery carries `X-Webhook-Signature`, an HMAC-SHA256 of the body keyed with your webhook
            secret (`MAKINI_WEBHOOK_SECRET={{MAKINI_WEBHOOK_SECRET}}` in `.env`). Example delivery:

                POST /hooks/makini HTTP/1.1
                Host: hooks.example.com
                X-Webhook-Signature: «sig»
                Content-Type: application/json
            '''),
        ("makini", '''
            # Postman setup

            Create an environment with `client_id` = `{{CLIENT_ID}}`, `client_secret` = `{{CLIENT_SECRET}}`
            and `token` = `{{bearerToken}}`; the collection's pre-request script fills `bearerToken` from
            `https://api.makini.io/link/token`.
            '''),
    ]
    for i in range(4):
        for vendor, text in docs:
            ts = f.timestamp()
            out.append((f"docs/{vendor}/setup-{i}.md", fill(text, ts=ts, sig=f.hex(64), sig2=f.hex(64)), "documentation", []))
    return out


@negative
def signatures_are_not_secrets(f):
    out = []
    for i in range(8):
        ts = f.timestamp()
        if i % 2 == 0:
            text = fill('''
                2026-05-02T10:00:00Z INFO maintainx webhook received path=/hooks/cmms
                2026-05-02T10:00:00Z DEBUG headers x-maintainx-webhook-body-signature="t=«ts»,v1=«sig»"
                2026-05-02T10:00:00Z DEBUG headers x-maintainx-webhook-uri-signature="t=«ts»,v1=«sig2»"
                2026-05-02T10:00:00Z INFO signature ok
                ''', ts=ts, sig=f.hex(64), sig2=f.hex(64))
        else:
            text = fill('''
                2026-05-02T10:00:00Z INFO makini webhook delivery id=«id» from api.makini.io
                2026-05-02T10:00:00Z DEBUG X-Webhook-Signature: «sig»
                2026-05-02T10:00:00Z DEBUG computed signature: «sig»
                ''', id=f.uuid(), sig=f.hex(64) if i % 4 == 1 else f.b64(32))
        out.append(("logs/webhooks.log", text, "signature", []))
    return out


@negative
def masked_in_logs(f):
    out = []
    for kind in KINDS * 2:
        real = f.value(kind)
        env = dict(zip(KINDS, ["MAINTAINX_API_KEY", "MAINTAINX_WEBHOOK_SECRET", "MT_API_KEY", "MT_SECRET_KEY",
                               "MAKINI_CLIENT_SECRET", "MAKINI_ACCESS_TOKEN", "MAKINI_WEBHOOK_SECRET"]))[kind]
        out.append(("logs/startup.log", fill('''
            2026-05-03T06:00:00Z INFO configuration loaded
            2026-05-03T06:00:00Z INFO «env»=«masked» (masked)
            2026-05-03T06:00:00Z INFO «env»_SET=true length=«n»
            ''', env=env, masked=f.masked(real), n=len(real)), "masked", []))
    return out


def dedicated_negatives(f):
    out = []
    for fn in NEGATIVES:
        for path, text, category, allow in fn(f):
            out.append(dict(path=path, text=text, category=category, template=fn.__name__, kind="-", allow=allow))
    return out


@negative
def secret_names_holding_settings(f):
    """Names that say key, token or secret, holding paths, URLs, dates, ids, sizes and code references."""
    out = []
    for i in range(2):
        out.append((".env.defaults", fill("""
            # Non-secret defaults; the credentials themselves come from the secret store.
            MAKINI_TOKEN_URL=https://api.makini.io/link/token
            MAKINI_TOKEN_EXPIRES_IN=2592000
            MAKINI_CLIENT_SECRET_FILE=«file»
            MAKINI_WEBHOOK_SECRET_PATH=«path»
            MAINTAINX_API_KEY_ID=«jti»
            MAINTAINX_API_KEY_CREATED_AT=2026-0«m»-1«d»T08:00:00Z
            MAINTAINX_API_KEY_HEADER=Authorization
            MAINTAINX_WEBHOOK_SECRET_ROTATED_ON=2026-0«m»-0«d»
            MT_SECRET_KEY_PATH=/var/run/secrets/mindtickle/secret_key
            MT_API_KEY_LENGTH=40
            """, jti=f.uuid(), m=f.pick("123456789"), d=f.pick("123456789"),
               # joined here so that this file itself holds no secret-named assignment
               file="/run/secrets/" + "makini_client_secret", path="/etc/bridge/" + "makini-webhook.secret"),
            "settings", []))
        out.append(("src/makini/auth.ts", fill("""
            import { MakiniClient } from "@example/makini";
            import { config } from "../config";

            // Tokens are exchanged at https://api.makini.io/link/token and cached in memory only.
            export async function accessToken(client: MakiniClient): Promise<string> {
              const clientSecret = «ref»;
              const webhookSecret = process.env.MAKINI_WEBHOOK_SECRET ?? "";
              const refreshToken = await client.store.get("makini:refresh_token");
              const token = await client.auth.exchangeRefreshToken(refreshToken, clientSecret);
              return token.accessToken;
            }
            """, ref="config.makini." + "clientSecret"), "settings", []))
        out.append(("app/maintainx/webhooks.py", fill('''
            import hashlib
            import hmac
            import os

            SIGNATURE_HEADER = "x-maintainx-webhook-body-signature"
            webhook_secret = os.environ["MAINTAINX_WEBHOOK_SECRET"].encode()


            def verify(headers, body: bytes) -> bool:
                t, v1 = (part.split("=", 1)[1] for part in headers[SIGNATURE_HEADER].split(","))
                expected = hmac.new(webhook_secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
                return hmac.compare_digest(expected, v1)
            '''), "settings", []))
        out.append(("openapi/mindtickle-bridge.yaml", fill("""
            components:
              schemas:
                MindtickleCredentials:
                  type: object
                  required: [api_key, secret_key, ls_url]
                  properties:
                    api_key:
                      type: string
                      description: Mindtickle API key (40 hex characters)
                      pattern: "^[0-9a-f]{40}$"
                    secret_key:
                      type: string
                      description: Mindtickle secret key
                      minLength: 96
                    ls_url:
                      type: string
                      example: acme.mindtickle.com
            """), "settings", []))
        out.append(("src/main/java/com/example/MakiniProperties.java", fill("""
            package com.example;

            import org.springframework.boot.context.properties.ConfigurationProperties;

            @ConfigurationProperties(prefix = "makini")
            public record MakiniProperties(String baseUrl, String clientId, String clientSecret, String webhookSecret) {
                public static final String CLIENT_SECRET_PROPERTY = "makini.oauth.client-secret";
                public static final String WEBHOOK_SECRET_HEADER = "X-Webhook-Signature";
            }
            """), "settings", []))
        out.append(("deploy/helm/values.yaml", fill("""
            maintainx:
              apiKey:
                existingSecret: maintainx-credentials
                secretKey: api-key
              webhookSecret:
                existingSecret: maintainx-webhooks
                secretKey: signing-secret
            mindtickle:
              lsUrl: «t».mindtickle.com
              credentialsSecret: mindtickle-credentials
            """, t=f.word()), "settings", []))
    return out
