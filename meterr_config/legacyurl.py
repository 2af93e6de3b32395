"""Node.js's legacy `url.parse(text, true)` (lib/url.js of Node 20), as far as Vercel's
routing utilities read it: the hostname, pathname, query and hash of a route's
destination. `checkPatternSyntax` takes a destination's parameters from these parts, so a
parser that split a URL another way (Python's `urlsplit` keeps `https://a.b:sub.c/x`'s
`:sub` in the host, Node moves it to the path) would judge other parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from meterr_config.jsobject import key_order

_SIMPLE_PATH = re.compile(r"^(//?(?!/)[^?\s]*)(\?[^\s]*)?$")
_PROTOCOL = re.compile(r"^[a-z0-9.+-]+:", re.IGNORECASE)
_PORT = re.compile(r":[0-9]*$")
_SLASHED = frozenset({"http:", "https:", "ftp:", "gopher:", "file:", "ws:", "wss:"})
_HOSTLESS = frozenset({"javascript:"})
# Never in a hostname (RFC 2396); autoEscapeStr percent-encodes the same set but `%` and `;`.
_NON_HOST = frozenset(" \"%';<>\\^`{|}")
_HOST_END = frozenset("#/?")
_NOT_IN_HOSTNAME = frozenset("/\\#?:")
_ESCAPES = {c: f"%{ord(c):02X}" for c in "\t\n\r \"'<>\\^`{|}"}
_HEX_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_HOST_PATTERN = re.compile(r"^//[^@/]+@[^@/]+")
# Not in a host name once toASCII ran: Node throws rather than guess (ERR_INVALID_URL).
_FORBIDDEN = re.compile(r"[\0\t\n\r #%/:<>?@\[\\\]^|]")
_FORBIDDEN_IPV6 = re.compile(r"[\0\t\n\r #%/<>?@\\^|]")


class UrlError(ValueError):
    """url.parse throws: a malformed percent escape in the userinfo, or a host name
    with a character no host name has."""


@dataclass(frozen=True)
class LegacyUrl:
    """The parts routing-utils reads; None where Node leaves the property null."""

    hostname: str | None
    pathname: str | None
    query: dict[str, list[str]]
    hash: str | None


def _is_space(char: str) -> bool:
    return ord(char) < 33 or char in "\u00a0\ufeff"


def _prepare(url: str) -> tuple[str, bool, bool]:
    """Trimmed as Node trims, with backslashes before the query or hash made slashes;
    and whether it has a `#`, and an `@` before its query or hash."""
    start = next((i for i, c in enumerate(url) if not _is_space(c)), len(url))
    end = next((i for i in range(len(url), start, -1) if not _is_space(url[i - 1])), start)
    text = url[start:end]
    split = min((i for i in (text.find("?"), text.find("#")) if i != -1), default=len(text))
    return text[:split].replace("\\", "/") + text[split:], "#" in text, "@" in text[:split]


def _query(text: str) -> dict[str, list[str]]:
    """querystring.parse: `&`-separated pairs split at the first `=`, `+` a space, and a
    part with a `%XX` in it decoded as Node decodes it."""
    out: dict[str, list[str]] = {}
    for piece in text.split("&")[:1000]:
        if not piece:
            continue
        key, _, value = piece.partition("=")
        name = _qs_decode(key.replace("+", " "), bool(_HEX_ESCAPE.search(key)))
        said = _qs_decode(value.replace("+", " "), bool(_HEX_ESCAPE.search(value.replace("+", ""))))
        out.setdefault(name, []).append(said)
    return out


def _qs_decode(text: str, encoded: bool) -> str:
    """qsUnescape: decodeURIComponent, or where that throws, unescapeBuffer: each `%XX`
    a byte, every other UTF-16 unit its low byte, read back as UTF-8."""
    if not encoded:
        return text
    try:
        _decode_strict(text)
        return unquote(text, errors="strict")
    except UrlError:
        pass
    units = text.encode("utf-16-le")
    codes = [units[i] | units[i + 1] << 8 for i in range(0, len(units), 2)]
    out = bytearray()
    i = 0
    while i < len(codes):
        code = codes[i]
        if code == 37 and i < len(codes) - 2:
            high, low = _hex(codes[i + 1]), _hex(codes[i + 2])
            if high is not None and low is not None:
                out.append(high * 16 + low)
                i += 3
                continue
        out.append(code & 0xFF)
        i += 1
    return out.decode("utf-8", errors="replace")


def _hex(code: int) -> int | None:
    char = chr(code)
    return int(char, 16) if char in "0123456789abcdefABCDEF" else None


def _scan(rest: str) -> tuple[str, int, int]:
    """The text after `//` without the tabs and newlines of its host part, where its
    host ends (or -1: at the end) and its last `@` before that (or -1)."""
    non_host = at_sign = -1
    i = 0
    while i < len(rest):
        char = rest[i]
        if char in "\t\n\r":
            rest = rest[:i] + rest[i + 1 :]
            continue
        if char in _HOST_END:
            non_host = i if non_host == -1 else non_host
            break
        if char in _NON_HOST and non_host == -1:
            non_host = i
        elif char == "@":
            at_sign, non_host = i, -1
        i += 1
    return rest, non_host, at_sign


def _host(rest: str) -> tuple[str, str]:
    """The hostname and what follows it, of the text after `//`."""
    rest, non_host, at_sign = _scan(rest)
    start = 0
    if at_sign != -1:
        _decode_strict(rest[:at_sign])  # the userinfo: Node decodes it, and may throw
        start = at_sign + 1
    host, rest = (rest[start:], "") if non_host == -1 else (rest[start:non_host], rest[non_host:])
    if port := _PORT.search(host):
        host = host[: port.start()]
    if host.startswith("[") and host.endswith("]"):
        if _FORBIDDEN_IPV6.search(host.lower()):
            raise UrlError("Invalid URL")
        return host[1:-1].lower(), rest if rest.startswith("/") else "/" + rest
    for i, char in enumerate(host):
        if char in _NOT_IN_HOSTNAME:
            rest, host = f"/{host[i:]}{rest}", host[:i]
            break
    hostname = "" if len(host) > 255 else host.lower()
    if hostname and (not (hostname := _ascii(hostname)) or _FORBIDDEN.search(hostname)):
        raise UrlError("Invalid URL")
    return hostname, rest


def _decode_strict(text: str) -> None:
    """decodeURIComponent's refusals: a `%` without two hex digits, or bytes that are
    not UTF-8."""
    if re.search(r"%(?![0-9a-fA-F]{2})", text):
        raise UrlError("URI malformed")
    try:
        unquote(text, errors="strict")
    except UnicodeDecodeError:
        raise UrlError("URI malformed") from None


def _ascii(host: str) -> str:
    """toASCII: a non-ASCII host name in punycode, or empty where it has none."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""


def parse(url: str) -> LegacyUrl:
    """`url.parse(url, true)`'s hostname, pathname, query and hash; UrlError where Node
    throws."""
    rest, has_hash, has_at = _prepare(url)
    if not has_hash and not has_at and (simple := _SIMPLE_PATH.match(rest)):
        search = simple.group(2)
        return LegacyUrl(None, simple.group(1), _query(search[1:]) if search else {}, None)
    hostname: str | None = None
    written = protocol = ""
    if match := _PROTOCOL.match(rest):
        written, rest = match.group(), rest[match.end() :]
        protocol = written.lower()
    slashes = False
    if written or _HOST_PATTERN.match(rest):
        slashes = rest.startswith("//")
        if slashes and protocol not in _HOSTLESS:
            rest = rest[2:]
    if protocol not in _HOSTLESS and (slashes or (written and written not in _SLASHED)):
        hostname, rest = _host(rest)
    if protocol not in _HOSTLESS:
        rest = "".join(_ESCAPES.get(char, char) for char in rest)
    hash_at = rest.find("#")
    query_at = rest.find("?", 0, hash_at if hash_at != -1 else len(rest))
    fragment = rest[hash_at:] if hash_at != -1 else None
    query: dict[str, list[str]] = {}
    if query_at != -1:
        query = _query(rest[query_at + 1 : hash_at if hash_at != -1 else len(rest)])
    first = query_at if query_at != -1 else hash_at
    pathname = (rest or None) if first == -1 else (rest[:first] or None)
    if protocol in _SLASHED and hostname and not pathname:
        pathname = "/"
    return LegacyUrl(hostname, pathname, query, fragment)


def query_values(query: dict[str, list[str]]) -> list[str]:
    """`Object.values(query)`, first value of each, in JavaScript's key order."""
    return [query[key][0] for key in key_order(query)]
