"""Fingerprints of values that are never kept: a plan's (an HMAC with a random key per
plan, so equal values match within one plan and nothing else can be learnt from it) and
the ledger's (scrypt with a random salt per entry, slow on purpose: the ledger is
committed, and a weak secret must not be confirmable by guessing at speed)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# scrypt's cost for new entries: N = 2**14, 16 MiB (OWASP's floor for password storage),
# about 70 ms a value on one core. Each entry names its own N, so the cost can rise
# without invalidating a ledger (and the tests can lower it).
COST = 2**14
_R, _P = 8, 1
_SALT_BYTES = 16


def new_key() -> bytes:
    """A plan's random HMAC key."""
    return secrets.token_bytes(32)


def keyed(key: bytes, value: str) -> str:
    """`hmac-sha256:<hex>` of `value` under a plan's key."""
    return "hmac-sha256:" + hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def sealed(value: str) -> str:
    """`scrypt$<N>$<salt>$<digest>` of `value`, with a fresh salt, for the ledger."""
    salt = secrets.token_bytes(_SALT_BYTES)
    return f"scrypt${COST}${_b64(salt)}${_b64(_scrypt(value, salt, COST))}"


def verifies(value: str, stored: str) -> bool:
    """Whether `value` is the one `stored` was made from (False for a malformed entry)."""
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != "scrypt" or not parts[1].isdigit():
        return False
    cost = int(parts[1])
    if cost < 2 or cost > 2**20 or cost & (cost - 1):
        return False
    try:
        salt, digest = base64.b64decode(parts[2]), base64.b64decode(parts[3])
    except ValueError:
        return False
    return hmac.compare_digest(_scrypt(value, salt, cost), digest)


def _scrypt(value: str, salt: bytes, cost: int) -> bytes:
    memory = 128 * _R * cost + 2**20  # what scrypt needs, and a margin
    return hashlib.scrypt(
        value.encode(), salt=salt, n=cost, r=_R, p=_P, dklen=32, maxmem=memory + 2**24
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
