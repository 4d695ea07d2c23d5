"""Canonical URLs: one spelling per article, so the same story linked from two feeds gets one id."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

# Query parameters that say how a reader arrived, never which page they read.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid",
        "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "wt.mc_id", "cmpid",
        "ocid", "ito", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "rss", "rssfeed", "feedtype", "cmp",
        "smid", "smtyp", "ref_src", "ref_url", "sr_share", "taid", "emc", "ftag", "xtor",
    }
)
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "hmb_", "__twitter", "at_")
DEFAULT_PORTS = {"http": 80, "https": 443}


class UnusableUrl(ValueError):
    """Not an http(s) URL with a host; the message quotes it."""


def normalise_host(host: str) -> str:
    """Lower case, no trailing dot, international names in their ASCII (IDNA) spelling."""
    host = host.strip().rstrip(".").lower()
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def host_of(url: str) -> str:
    """The normalised host of an http(s) URL (used for per-host politeness limits)."""
    return normalise_host(urlsplit(url).hostname or "")


def is_tracking_parameter(name: str) -> bool:
    name = unquote(name).lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Scheme and host normalised, credentials, default port, fragment and tracking parameters removed,
    the remaining parameters sorted; the parameters keep their original encoding so the link still works."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnusableUrl(f"not a valid URL: {url!r} ({error})") from error
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise UnusableUrl(f"not an http(s) URL with a host: {url!r}")
    host = normalise_host(parts.hostname)
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    query = "&".join(
        sorted(part for part in parts.query.split("&") if part and not is_tracking_parameter(part.split("=", 1)[0]))
    )
    return urlunsplit((scheme, host, parts.path or "/", query, ""))
