"""Route rules shared by vercel.json and next.config: conditions, redirects, rewrites, headers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from meterr_config.models.base import HeaderName, HeaderValue, StrictModel


class Condition(StrictModel):
    """One `has`/`missing` condition. `host` takes only a value; the others need a key."""

    type: Literal["header", "cookie", "query", "host"] = Field(
        serialization_alias="type",
        description="What to match: a request header, a cookie, a query parameter or the host.",
    )
    key: str | None = Field(
        serialization_alias="key",
        default=None,
        description="Header, cookie or query name to match.",
    )
    value: str | None = Field(
        serialization_alias="value",
        default=None,
        description="Regular expression the value must match (anchored by Vercel and Next.js).",
    )

    @model_validator(mode="after")
    def _key_matches_type(self) -> Condition:
        if self.type == "host" and (self.key is not None or self.value is None):
            raise ValueError("a host condition takes `value` and no `key`")
        if self.type != "host" and self.key is None:
            raise ValueError(f"a {self.type} condition needs `key`")
        return self


class Matchers(StrictModel):
    """Fields every route rule shares."""

    source: str = Field(
        serialization_alias="source",
        description="Path pattern (path-to-regexp syntax) the rule applies to.",
    )
    has: list[Condition] = Field(
        serialization_alias="has",
        default=[],
        description="Conditions that must all be present.",
    )
    missing: list[Condition] = Field(
        serialization_alias="missing",
        default=[],
        description="Conditions that must all be absent.",
    )


class Redirect(Matchers):
    """A redirect. Give exactly one of `permanent` and `status_code`, as Vercel requires."""

    destination: str = Field(
        serialization_alias="destination", description="Path or absolute URL to redirect to."
    )
    permanent: bool | None = Field(
        serialization_alias="permanent",
        default=None,
        description="true for 308 Permanent Redirect, false for 307 Temporary.",
    )
    status_code: Literal[301, 302, 303, 307, 308] | None = Field(
        serialization_alias="statusCode",
        default=None,
        description="Explicit status code, instead of `permanent`.",
    )

    @model_validator(mode="after")
    def _one_status(self) -> Redirect:
        if (self.permanent is None) == (self.status_code is None):
            raise ValueError("give exactly one of `permanent` and `status_code`")
        return self


class Rewrite(Matchers):
    """A rewrite: serve `destination` while the browser keeps the `source` URL."""

    destination: str = Field(
        serialization_alias="destination", description="Path or absolute URL to serve instead."
    )


class HeaderRule(Matchers):
    """Response headers for the paths matching `source`."""

    headers: dict[HeaderName, HeaderValue] = Field(
        serialization_alias="headers",
        description="Header name to value. Rendered sorted by name.",
        min_length=1,
    )
