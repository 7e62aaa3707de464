"""The seven credential kinds, the names people give them, and the settings that sit beside them.

A Profile is drawn once per generated file: which variable name, which key path, which neighbouring
settings. Templates ask it for names in the casing their syntax uses (UPPER_SNAKE, snake, camel, Pascal,
kebab) so that one template renders every kind in the idiom of its language.
"""

import re

KINDS = [
    "maintainx-api-key",
    "maintainx-webhook-secret",
    "mindtickle-api-key",
    "mindtickle-secret-key",
    "makini-client-secret",
    "makini-token",
    "makini-webhook-secret",
]

VENDOR = {k: k.split("-")[0] for k in KINDS}

# A marker placed immediately before a value; removed after its line has been recorded.
MARK = "QQMK{}QQ"
MARK_RE = re.compile(r"QQMK(\d+)QQ")
# Before the last piece of a split value: the credential's lines run from its marker to this one.
END = "QQME{}QQ"
END_RE = re.compile(r"QQME(\d+)QQ")


class Doc:
    """One generated file: its expectations (kind per marker) and whether it is a negative."""

    def __init__(self, fakes, negative: bool):
        self.f = fakes
        self.negative = negative
        self.kinds = []

    def mark(self, kind: str) -> str:
        if self.negative:
            return ""
        self.kinds.append(kind)
        return MARK.format(len(self.kinds) - 1)


class Val:
    """A value put into a template: the real fake (marked) for positives, a stand-in for negatives."""

    def __init__(self, doc: Doc, kind: str, raw: str, expect: bool = True):
        self.kind = kind
        self.raw = raw
        self.expect = expect and not doc.negative
        self.doc = doc
        self._m = None

    @property
    def m(self) -> str:
        """The marker alone (to put in front of the first piece of a split value)."""
        if not self.expect:
            return ""
        if self._m is None:
            self._m = self.doc.mark(self.kind)
        return self._m

    @property
    def end(self) -> str:
        """The end marker (to put in front of the last piece of a split value)."""
        m = self.m
        return END.format(MARK_RE.match(m).group(1)) if m else ""

    def __str__(self) -> str:
        return self.m + self.raw

    def __format__(self, spec) -> str:
        return str(self)

    def pieces(self, n: int):
        """The raw value split into n pieces (at dots for a JWT when n == 3)."""
        if n == 3 and self.raw.count(".") == 2:
            a, b, c = self.raw.split(".")
            return [a + ".", b + ".", c]
        step = max(1, len(self.raw) // n)
        out = [self.raw[i * step:(i + 1) * step] for i in range(n - 1)]
        out.append(self.raw[(n - 1) * step:])
        return out


def words_case(words, style):
    if style == "UPPER":
        return "_".join(w.upper() for w in words)
    if style == "snake":
        return "_".join(w.lower() for w in words)
    if style == "kebab":
        return "-".join(w.lower() for w in words)
    if style == "dot":
        return ".".join(w.lower() for w in words)
    if style == "camel":
        return words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:])
    if style == "Pascal":
        return "".join(w[:1].upper() + w[1:].lower() for w in words)
    raise ValueError(style)


# Per kind: vendor-qualified variable names, unqualified leaf names, the group a nested key sits under,
# how the value travels over HTTP, and the display name.
SPEC = {
    "maintainx-api-key": dict(
        env=[["MAINTAINX", "API", "KEY"], ["MAINTAINX", "API", "TOKEN"], ["MAINTAINX", "TOKEN"], ["MX", "API", "KEY"],
             ["MAINTX", "TOKEN"], ["MAINTAINX", "KEY", "PLANT3"], ["MAINTAINX", "API", "KEY", "PROD"]],
        leaf=[["api", "key"], ["api", "token"], ["token"], ["access", "token"]],
        group=["api", "auth", "credentials"], http="bearer"),
    "maintainx-webhook-secret": dict(
        env=[["MAINTAINX", "WEBHOOK", "SECRET"], ["MAINTAINX", "WEBHOOK", "SECRET", "CREATE"],
             ["MAINTAINX", "WEBHOOK", "SECRET", "CHANGE"], ["MAINTAINX", "WEBHOOK", "SIGNING", "SECRET"]],
        leaf=[["webhook", "secret"], ["signing", "secret"], ["webhook", "signing", "secret"]],
        group=["webhook", "webhooks"], http="json"),
    "mindtickle-api-key": dict(
        env=[["MT", "API", "KEY"], ["MINDTICKLE", "API", "KEY"], ["MINDTICKLE", "READ", "KEY"],
             ["MINDTICKLE", "WRITE", "KEY"]],
        leaf=[["api", "key"]],
        group=["credentials", "auth", "api"], http="json"),
    "mindtickle-secret-key": dict(
        env=[["MT", "SECRET", "KEY"], ["MINDTICKLE", "SECRET", "KEY"], ["MINDTICKLE", "SECRET"]],
        leaf=[["secret", "key"]],
        group=["credentials", "auth", "api"], http="json"),
    "makini-client-secret": dict(
        env=[["MAKINI", "CLIENT", "SECRET"], ["MAKINI", "OAUTH", "CLIENT", "SECRET"], ["MAKINI", "SECRET"]],
        leaf=[["client", "secret"]],
        group=["oauth", "auth", "credentials"], http="form"),
    "makini-token": dict(
        env=[["MAKINI", "ACCESS", "TOKEN"], ["MAKINI", "REFRESH", "TOKEN"], ["MAKINI", "API", "TOKEN"], ["MAKINI", "TOKEN"]],
        leaf=[["access", "token"], ["refresh", "token"], ["token"], ["api", "token"]],
        group=["auth", "oauth", "session"], http="bearer"),
    "makini-webhook-secret": dict(
        env=[["MAKINI", "WEBHOOK", "SECRET"], ["MAKINI", "WEBHOOK", "SIGNING", "SECRET"]],
        leaf=[["webhook", "secret"], ["signing", "secret"], ["webhook", "signing", "secret"]],
        group=["webhook", "webhooks"], http="json"),
}

DISPLAY = {"maintainx": "MaintainX", "mindtickle": "Mindtickle", "makini": "Makini"}


class Profile:
    """Names and neighbours for one kind in one file."""

    def __init__(self, doc: Doc, kind: str, value: "Val"):
        f = doc.f
        s = SPEC[kind]
        self.doc, self.f, self.kind, self.v = doc, f, kind, value
        self.vendor = VENDOR[kind]
        self.Vendor = DISPLAY[self.vendor]
        self.env_words = f.pick(s["env"])
        self.leaf_words = f.pick(s["leaf"])
        self.group = f.pick(s["group"])
        self.http = s["http"]
        self.tenant = f.word()
        self.is_webhook = "webhook" in kind
        if self.vendor == "maintainx":
            self.host = "api.getmaintainx.com"
            self.base_url = "https://api.getmaintainx.com/v1"
            self.endpoint = self.base_url + f.pick(["/workorders", "/assets", "/users?limit=1", "/organizations?limit=1"])
            self.neighbours = [(["base", "url"], self.base_url), (["org", "id"], f.digits(6)),
                               (["timeout", "seconds"], str(f.pick([10, 15, 30, 60])))]
        elif self.vendor == "mindtickle":
            self.host = f"{self.tenant}.mindtickle.com"
            self.base_url = "https://api.mindtickle.com"
            self.endpoint = self.base_url + "/services/data/auth_token"
            self.neighbours = [(["ls", "url"], self.host), (["company", "id"], f.digits(12)),
                               (["region"], f.pick(["us", "eu", "in"]))]
        else:
            self.host = "api.makini.io"
            self.base_url = "https://api.makini.io"
            self.endpoint = self.base_url + f.pick(["/link/token", "/api/system/client", "/api/work-orders"])
            self.neighbours = [(["base", "url"], self.base_url), (["client", "id"], f.uuid()),
                               (["integration"], f.pick(["sap-pm", "maximo", "fiix", "upkeep"]))]
        if self.is_webhook:
            self.neighbours = [(["webhook", "url"], f"https://hooks.{f.word()}.example.com/{self.vendor}/events"),
                               (["tolerance", "seconds"], "300")]
        # A Mindtickle key usually travels with its secret: put the partner beside it half the time.
        self.partner = None
        if kind.startswith("mindtickle") and f.chance(0.5):
            pk = "mindtickle-secret-key" if kind == "mindtickle-api-key" else "mindtickle-api-key"
            raw = f.value(pk) if not doc.negative else f.pick(["", "changeme", "<secret>", "REPLACE_ME"])
            self.partner = (SPEC[pk]["leaf"][0], Val(doc, pk, raw))
            # The pair sits after the tenant, the way a leaked client config looked.
            self.neighbours.insert(1, self.partner)

    # qualified names (vendor in the name)
    def env(self, style="UPPER"):
        return words_case(self.env_words, style)

    # unqualified leaf (vendor comes from the section, block, path or a nearby line)
    def leaf(self, style="snake"):
        return words_case(self.leaf_words, style)

    def section(self, style="snake"):
        return self.Vendor if style == "Pascal" else words_case([self.vendor], style)

    def nb(self, style="snake", qualified=False):
        """Neighbours as (name, value) in a casing; qualified names carry the vendor prefix."""
        out = []
        for words, value in self.neighbours:
            w = ([self.env_words[0]] + words) if qualified else words
            out.append((words_case(w, style), value))
        return out

    def comment(self):
        f = self.f
        return f.pick({
            "maintainx": ["MaintainX CMMS: work orders and assets", "Sync with MaintainX (work orders)",
                          "MaintainX integration", "CMMS (MaintainX) connection"],
            "mindtickle": ["Mindtickle learning site (sales enablement)", "Mindtickle reporting export",
                           "Mindtickle API credentials", "Enablement platform: Mindtickle"],
            "makini": ["Makini industrial integration (CMMS/ERP bridge)", "Makini Link OAuth app",
                       "Makini unified API", "Plant data through Makini"],
        }[self.vendor])
