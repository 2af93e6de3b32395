"""The status `url:` expects a redirect to be served with, against vercel@58.10.0's own
`getTransformedRoutes` (routing-utils convertRedirects): 308 without `permanent` or
`statusCode`, `permanent` as 308 or 307, else the `statusCode`; every combination."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from meterr_config.realtools.tools import Tools
from meterr_config.sources.url import redirect_status
from tests.realtools.judge import judge
from tests.realtools.test_destination_params import VERCEL_JUDGE

pytestmark = pytest.mark.realtool

STATUS_JUDGE = VERCEL_JUDGE.replace(
    "const { error } = routing.getTransformedRoutes({ redirects: [route] });\n"
    "    return error ? error.message : null;",
    "const { error, routes } = routing.getTransformedRoutes({ redirects: [route] });\n"
    "    return error ? null : routes[0].status;",
)


def test_the_expected_status_is_the_one_vercel_serves(tools: Tools) -> None:
    assert STATUS_JUDGE != VERCEL_JUDGE  # the replacement still finds its text
    rules: list[dict[str, Any]] = []
    for permanent, code in itertools.product((None, True, False), (None, 301, 302, 303, 307)):
        rule: dict[str, Any] = {"source": "/old", "destination": "/new"}
        if permanent is not None:
            rule["permanent"] = permanent
        if code is not None:
            rule["statusCode"] = code
        if permanent is None or code is None:  # both at once: Vercel refuses (VER011)
            rules.append(rule)
    theirs = judge(tools, STATUS_JUDGE, str(tools.root), rules)
    assert [redirect_status(rule) for rule in rules] == theirs
