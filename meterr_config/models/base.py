"""Shared base for every model: unknown keys are errors, and models are immutable."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class StrictModel(BaseModel):
    """Rejects unknown keys and wrong types: a typo or "600" for 600 is an error, not a guess."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


# An HTTP header field name (RFC 9110 token characters).
HeaderName = Annotated[str, StringConstraints(pattern=r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
# A header value: no CR, LF or other control characters (tab is allowed), as HTTP requires.
HeaderValue = Annotated[str, StringConstraints(pattern=r"^[^\x00-\x08\x0a-\x1f\x7f]*$")]
# A route pattern: Vercel and Next.js both require a leading slash.
RoutePattern = Annotated[str, StringConstraints(min_length=1)]
# An environment variable name as Vercel and POSIX shells accept it.
EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]


class KeyedError(ValueError):
    """A cross-field error that knows which key it is about, so the loader can name its line."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        self.path = path
        super().__init__(message)
