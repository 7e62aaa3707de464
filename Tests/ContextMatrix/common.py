"""Helpers shared by the positive and negative templates."""

import json
import re
import textwrap

FIELD = re.compile(r"«(\w+)»")


def fill(template: str, **kw) -> str:
    """Dedents `template` and replaces each «name» with str(kw[name])."""
    text = textwrap.dedent(template)
    if text.startswith("\n"):
        text = text[1:]
    return FIELD.sub(lambda m: str(kw[m.group(1)]), text)


def names(p) -> dict:
    """Every casing of the profile's names, for templates."""
    return dict(
        v=p.v, ENV=p.env(), env_snake=p.env("snake"), envCamel=p.env("camel"), EnvPascal=p.env("Pascal"),
        env_kebab=p.env("kebab"), env_dot=p.env("dot"),
        leaf=p.leaf(), leafCamel=p.leaf("camel"), LeafPascal=p.leaf("Pascal"), leaf_kebab=p.leaf("kebab"),
        LEAF=p.leaf("UPPER"), sec=p.section(), Sec=p.section("Pascal"), SEC=p.section().upper(),
        group=p.group, Group=p.group.capitalize(), host=p.host, base=p.base_url, endpoint=p.endpoint,
        comment=p.comment(), tenant=p.tenant, Vendor=p.Vendor,
    )


def nb(p, fmt: str, style="snake", qualified=False, indent="", quote_numbers=True, sep="\n") -> str:
    """Neighbouring settings rendered one per line with `fmt` ({k} name, {v} value)."""
    lines = []
    for k, v in p.nb(style, qualified):
        lines.append(indent + fmt.format(k=k, v=v))
    return sep.join(lines)


def http_body(p, fmt: str):
    """The request body that carries the value, or None when it travels in a header."""
    if p.http == "bearer":
        return None
    if p.is_webhook:
        pairs = [("url", f"https://hooks.{p.tenant}.example.com/{p.vendor}"), ("events", "work_order.updated"),
                 ("secret", p.v)]
    elif p.vendor == "makini":
        pairs = [("grant_type", "client_credentials")] + [(k, v) for k, v in p.nb("snake") if k == "client_id"]
        pairs.append(("client_secret", p.v))
    elif p.vendor == "mindtickle":
        pairs = [("ls_url", p.host)]
        if p.partner and p.kind == "mindtickle-secret-key":
            pairs.append(("api_key", p.partner[1]))
        pairs.append((p.leaf(), p.v))
        if p.partner and p.kind == "mindtickle-api-key":
            pairs.append(("secret_key", p.partner[1]))
    else:
        pairs = [("token", p.v)]
    if fmt == "form":
        return "&".join(f"{k}={v}" for k, v in pairs)
    return "{" + ", ".join(f"\"{k}\": \"{v}\"" for k, v in pairs) + "}"


def auth_header(p) -> str:
    return f"Authorization: Bearer {p.v}"


def request_url(p) -> str:
    """Where the request goes: the vendor's token endpoint for secrets, its API for tokens."""
    if p.is_webhook:
        return {"maintainx": "https://api.getmaintainx.com/v1/webhooks", "makini": "https://api.makini.io/api/webhooks",
                "mindtickle": p.endpoint}[p.vendor]
    if p.http == "form":
        return "https://api.makini.io/link/token"
    return p.endpoint


def jstr(s) -> str:
    """A JSON string literal of s (markers survive escaping)."""
    return json.dumps(str(s))
