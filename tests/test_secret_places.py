"""Where a credential hides inside a longer value, and where an identifier only looks
like one: import keeps ordinary redirects, diff hides tokens in any position."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from meterr_config.secretshapes import secret_shaped
from tests.conftest import Runner

TOKEN = "sk_live_4eC39HqLyjWDarjtT1zdp7dcAbCdEf12"


@pytest.mark.parametrize(
    ("value", "secret"),
    [
        ("/blog/2024-01-01-my-first-post-about-nextjs-and-vercel-123", False),
        ("https://github.com/org/repo/commit/9fceb02d0ae598e95dc970b74767f19372d61af8", False),
        ("/x?id=3f2a1b4c-1234-4abc-9def-0123456789ab", False),  # a UUID is an identifier
        ("/learn/rendering-lists#keeping-list-items-in-order-with-key", False),
        ("https://ai.example.com/$1?key=Zq8vX2mP9kL4nR7tW1yB6cD3fH5jK0sA", True),
        (f"Bearer {TOKEN}", True),
        ("postgresql://app:Pw9kL4nR7tW1yQ2w9E4r7T1y@db.example.com/meterr", True),
    ],
)
def test_tokens_are_found_where_credentials_go(value: str, secret: bool) -> None:
    assert secret_shaped(value) is secret


def test_import_keeps_redirects_to_slugs_and_commits(cli: Runner, workdir: Path) -> None:
    redirects = [
        {"source": "/a", "destination": "/blog/2024-01-01-my-first-post-about-nextjs-and-vercel-1"},
        {"source": "/b", "destination": "https://github.com/o/r/commit/" + "9fceb02d" * 5},
    ]
    (workdir / "vercel.json").write_text(json.dumps({"redirects": redirects}))
    result = cli("import", "vercel.json", "--env", "x", "--out", "-", "--plan", "pro")
    assert result.code == 0 and "looks like a secret" not in result.out + result.err
    assert result.out.count("[[vercel.redirects]]") == 2


def test_diff_hides_a_token_in_a_condition_and_in_a_legacy_route(
    cli: Runner, workdir: Path
) -> None:
    for name, region in (("a", "iad1"), ("b", "sfo1")):
        doc = {
            "regions": [region],
            "rewrites": [
                {
                    "source": "/p",
                    "destination": "/q",
                    "has": [{"type": "header", "key": "authorization", "value": f"Bearer {TOKEN}"}],
                }
            ],
        }
        (workdir / name).mkdir()
        (workdir / name / "vercel.json").write_text(json.dumps(doc))
    legacy = {"routes": [{"src": "/p", "headers": {"Authorization": f"Bearer {TOKEN}"}}]}
    (workdir / "c").mkdir()
    (workdir / "c" / "vercel.json").write_text(json.dumps(legacy))
    for args in (("dir:a", "dir:b"), ("dir:a", "dir:c"), ("dir:c", "dir:a")):
        for fmt in ("text", "json"):
            result = cli("diff", *args, "--format", fmt)
            assert result.code in (0, 1) and TOKEN[8:] not in result.out + result.err, args


def test_a_malformed_api_url_is_one_line_and_not_repeated(cli: Runner) -> None:

    for url in ("http://ci:pw-x@[bad", "ftp://ci:pw-x@host", "http://ci:pw-x@host:notaport"):
        env = {**os.environ, "VERCEL_TOKEN": "t", "VERCEL_API_URL": url}
        result = cli("diff", "env:production", "vercel:meterr@production", env=env)
        assert result.code == 2 and len(result.err.splitlines()) == 1
        assert "pw-x" not in result.err
