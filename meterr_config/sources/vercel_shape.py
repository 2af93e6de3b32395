"""Reading the Vercel API's answers by the shape its reference gives them.

Every field read from an answer is checked (`Field`): a wrong one is a one-line error
naming the endpoint, the field's path and what was expected, never a crash further on.
Listings send `limit`, follow `pagination.next` for at most MAX_PAGES pages, and each
cursor must go further back than the one before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NoReturn

from meterr_config import limits
from meterr_config.errors import InputError
from meterr_config.sources.vercel_api import VercelClient, kind_of

# Items a listing page asks for: the API's own largest page (the Vercel CLI asks for 100).
PAGE_SIZE = 100
# An id as the API makes them (dpl_…, env ids); it goes into a request path, so nothing
# else is let through.
ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


def utc_minute(millis: float) -> str:
    """`2024-10-27 04:33 UTC`, from the API's milliseconds since the epoch."""
    return datetime.fromtimestamp(millis / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class Field:
    """One field of one answer, with its path: read by the shape it must have."""

    endpoint: str
    path: str
    value: Any

    def fail(self, expected: str) -> NoReturn:
        got = "missing" if self.value is None else kind_of(self.value)
        raise InputError(
            f"vercel: GET {self.endpoint}: {self.path or 'the answer'} is {got}, "
            f"expected {expected}"
        )

    def get(self, key: str) -> Field:
        """A member of this object (absent or null: a Field whose value is None)."""
        value = self.value.get(key) if isinstance(self.value, dict) else None
        return Field(self.endpoint, f"{self.path}.{key}" if self.path else key, value)

    def obj(self, *, required: bool = False) -> dict[str, Any] | None:
        if self.value is None and not required:
            return None
        if not isinstance(self.value, dict):
            self.fail("an object")
        return self.value

    def string(self, *, required: bool = False) -> str | None:
        if self.value is None and not required:
            return None
        if not isinstance(self.value, str) or (required and not self.value):
            self.fail("a non-empty string" if required else "a string")
        return self.value

    def number(self) -> int | float | None:
        if self.value is None:
            return None
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            self.fail("a number")
        return self.value

    def integer(self) -> int | None:
        number = self.number()
        if number is None:
            return None
        if isinstance(number, float) and not number.is_integer():  # also inf and nan
            self.fail("a whole number")
        return int(number)

    def items(self, expected: str = "a list") -> list[Field]:
        """The elements of this list (absent or null: none)."""
        if self.value is None:
            return []
        if not isinstance(self.value, list):
            self.fail(expected)
        return [Field(self.endpoint, f"{self.path}[{i}]", v) for i, v in enumerate(self.value)]

    def strings(self) -> list[str]:
        """A list of strings (absent or null: empty)."""
        out = []
        for item in self.items("a list of strings"):
            if not isinstance(item.value, str):
                item.fail("a string")
            out.append(item.value)
        return out

    def entries(self) -> list[tuple[str, Field]]:
        """The members of an object keyed by data (function globs): their paths name
        their place, not their key, which is input."""
        members = self.obj() or {}
        return [
            (key, Field(self.endpoint, f"{self.path}[entry {i + 1}]", value))
            for i, (key, value) in enumerate(members.items())
        ]


def answer(client: VercelClient, endpoint: str, params: dict[str, Any] | None = None) -> Field:
    """GET `endpoint` as the root Field of its answer (an object: the client checks)."""
    return Field(endpoint, "", client.get(endpoint, params))


def _cursor(page: Field, previous: float | None) -> float | None:
    """The page's `pagination.next`, checked to go further back than `previous`
    (`until` asks for what was created before it, so a cursor that does not decrease
    would page for ever)."""
    pagination = page.get("pagination")
    pagination.obj()
    cursor = pagination.get("next").number()
    if cursor is None:
        return None
    if previous is not None and not cursor < previous:
        raise InputError(
            f"vercel: GET {page.endpoint}: pagination.next does not advance "
            "(each page's cursor must be older than the one before)"
        )
    return cursor


def paged(client: VercelClient, endpoint: str, field: str) -> list[Field]:
    """Every item of a listing's `field`, page by page (at most MAX_PAGES)."""
    items: list[Field] = []
    params: dict[str, Any] = {"limit": PAGE_SIZE}
    cursor: float | None = None
    for _ in range(limits.MAX_PAGES):
        page = answer(client, endpoint, params)
        if page.get(field).value is None:
            page.get(field).fail("a list")
        items += page.get(field).items()
        cursor = _cursor(page, cursor)
        if cursor is None:
            return items
        params = {"limit": PAGE_SIZE, "until": cursor}
    raise InputError(f"vercel: GET {endpoint}: more than {limits.MAX_PAGES} pages (MAX_PAGES)")
