"""Fake credential values for the context matrix, drawn from one seeded random source.

Nothing secret-shaped is written in this file: every value is assembled at run time (a JWT header is
encoded from its JSON, a Stripe-style prefix is joined from pieces), so the repository's own scan stays
clean. The same seed gives the same values, so a failing run can be repeated exactly.
"""

import base64
import hashlib
import hmac
import json
import random
import string

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64URL = ALNUM + "-_"
SECRET_CHARS = ALNUM + "-_.~"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Fakes:
    def __init__(self, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)

    # -- primitives ---------------------------------------------------------------------------
    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def text(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def hex(self, n: int) -> str:
        return self.text(HEX, n)

    def alnum(self, n: int) -> str:
        # Guarantee a mix of classes so that no value is accidentally a plain word or sequence.
        while True:
            v = self.text(ALNUM, n)
            if any(c.isdigit() for c in v) and any(c.islower() for c in v) and any(c.isupper() for c in v):
                return v

    def digits(self, n: int) -> str:
        return str(self.rng.randint(1, 9)) + self.text(string.digits, n - 1)

    def raw(self, n: int) -> bytes:
        return bytes(self.rng.getrandbits(8) for _ in range(n))

    def b64(self, nbytes: int) -> str:
        return base64.b64encode(self.raw(nbytes)).decode()

    def b64u(self, nbytes: int) -> str:
        return b64url(self.raw(nbytes))

    def uuid(self) -> str:
        h = self.hex(32)
        h = h[:12] + "4" + h[13:16] + self.pick("89ab") + h[17:]
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def timestamp(self) -> int:
        return self.rng.randint(1_640_000_000, 1_790_000_000)

    def word(self) -> str:
        return self.pick(["acme", "northwind", "globex", "initech", "umbrella", "contoso", "stark", "wayne",
                          "hooli", "vandelay", "tyrell", "cyberdyne", "wonka", "soylent", "gringotts"])

    # -- JWTs ---------------------------------------------------------------------------------
    def jwt(self, header: dict, claims: dict, sig_bytes: int = 32) -> str:
        enc = lambda o: b64url(json.dumps(o, separators=(",", ":")).encode())
        signing_input = enc(header) + "." + enc(claims)
        if header.get("alg") == "HS256":
            sig = hmac.new(self.raw(32), signing_input.encode(), hashlib.sha256).digest()
        else:
            sig = self.raw(sig_bytes)
        return signing_input + "." + b64url(sig)

    def maintainx_api_key(self) -> str:
        claims = {"userId": self.rng.randint(1000, 999_999)}
        if self.chance(0.85):
            claims["organizationId"] = self.rng.randint(1000, 999_999)
        claims["iat"] = self.timestamp()
        claims["sub"] = "REST_API_" + "AUTH"
        claims["jti"] = self.uuid()
        return self.jwt({"alg": "HS256", "typ": "JWT"}, claims)

    def maintainx_lookalike_jwt(self) -> str:
        """MaintainX-like claims with another subject: not an API key."""
        claims = {"userId": self.rng.randint(1000, 999_999), "organizationId": self.rng.randint(1000, 999_999),
                  "iat": self.timestamp(), "sub": self.pick(["WEB_SESSION", "MOBILE_APP_AUTH", "PASSWORD_RESET",
                                                             "INVITE", "SSO_LOGIN"]),
                  "jti": self.uuid()}
        if self.chance(0.5):
            claims["exp"] = claims["iat"] + 3600
        return self.jwt({"alg": "HS256", "typ": "JWT"}, claims)

    def other_hs256_jwt(self) -> str:
        claims = {"sub": self.digits(8), "name": self.pick(["Ana Lopez", "Wei Chen", "Sam Okafor", "Ida Berg"]),
                  "role": self.pick(["technician", "planner", "admin"]), "iat": self.timestamp()}
        claims["exp"] = claims["iat"] + self.pick([900, 3600, 86400])
        return self.jwt({"alg": "HS256", "typ": "JWT"}, claims)

    def rs256_id_token(self) -> str:
        iss = self.pick(["https://accounts.google.com", "https://login.microsoftonline.com/" + self.uuid() + "/v2.0",
                         "https://" + self.word() + ".okta.com", "https://" + self.word() + ".auth0.com/"])
        iat = self.timestamp()
        claims = {"iss": iss, "aud": self.uuid(), "sub": self.digits(21), "email": "tech" + self.digits(3) + "@example.com",
                  "email_verified": True, "iat": iat, "exp": iat + 3600, "nonce": self.alnum(16)}
        return self.jwt({"alg": "RS256", "kid": self.hex(40), "typ": "JWT"}, claims, sig_bytes=256)

    # -- the seven kinds ----------------------------------------------------------------------
    def webhook_secret(self) -> str:
        form = self.rng.randrange(4)
        if form == 0:
            return self.hex(64)
        if form == 1:
            return self.alnum(self.pick([32, 40, 48]))
        if form == 2:
            return self.b64u(32)
        return "whk_" + self.alnum(36) if self.chance(0.3) else self.alnum(24) + self.hex(16)

    def mindtickle_api_key(self) -> str:
        return self.hex(40)

    def mindtickle_secret_key(self) -> str:
        return self.hex(96)

    def makini_client_secret(self) -> str:
        form = self.rng.randrange(3)
        if form == 0:
            return self.alnum(self.pick([40, 48, 64]))
        if form == 1:
            return self.text(SECRET_CHARS, 40) + self.alnum(8)
        return self.b64u(self.pick([32, 48]))

    def makini_token(self) -> str:
        if self.chance(0.5):
            iat = self.timestamp()
            claims = {"iss": "https://api.makini.io", "sub": self.digits(6), "aud": "makini-link",
                      "iat": iat, "exp": iat + self.pick([30, 31]) * 86400, "scope": "integrations:read integrations:write",
                      "jti": self.uuid()}
            if self.chance(0.4):
                del claims["iss"]
            if self.chance(0.3):
                claims["typ"] = "refresh"
            alg = self.pick(["HS256", "RS256"])
            return self.jwt({"alg": alg, "typ": "JWT"}, claims, sig_bytes=256)
        return self.pick([lambda: self.alnum(64), lambda: self.b64u(48), lambda: self.alnum(40) + self.hex(24)])()

    def value(self, kind: str) -> str:
        # Both webhook kinds share one generator (the vendors publish no format).
        maker = "webhook_secret" if kind.endswith("webhook-secret") else kind.replace("-", "_")
        return getattr(self, maker)()

    # -- things that are not the vendors' credentials -----------------------------------------
    def stripe_live_key(self) -> str:
        return "sk" + "_li" + "ve_" + self.alnum(self.pick([24, 99]))

    def masked(self, value: str) -> str:
        style = self.rng.randrange(5)
        if style == 0:
            return value[:4] + "*" * 20 + value[-4:]
        if style == 1:
            return "*" * 12 + value[-4:]
        if style == 2:
            return value[:6] + "..." + value[-4:]
        if style == 3:
            return value[:3] + "\u2022" * 16
        return "xxxx-xxxx-" + value[-4:]
