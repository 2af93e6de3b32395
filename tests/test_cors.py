"""CORS rendering: one Origin-gated rule per origin, regex-escaped, with Vary: Origin."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from meterr_config.models import Environment
from meterr_config.render.routes import cors_rules, escape_regex

PROJECT = {"name": "x", "plan": "pro", "next_version": "16.4"}


def env(**cors: object) -> Environment:
    return Environment.model_validate(
        {"project": PROJECT, "cors": {"paths": ["/api/(.*)"], **cors}}
    )


def test_one_rule_per_origin_plus_vary() -> None:
    rules = cors_rules(env(allowed_origins=["https://a.example.com", "https://b.example.com"]))
    assert rules[0] == {"source": "/api/(.*)", "headers": [{"key": "Vary", "value": "Origin"}]}
    gated = rules[1:]
    assert [r["has"] for r in gated] == [
        [{"type": "header", "key": "origin", "value": r"https://a\.example\.com"}],
        [{"type": "header", "key": "origin", "value": r"https://b\.example\.com"}],
    ]
    for rule, origin in zip(gated, ["https://a.example.com", "https://b.example.com"], strict=True):
        acao = [h["value"] for h in rule["headers"] if h["key"] == "Access-Control-Allow-Origin"]
        assert acao == [origin]  # one origin, never a comma-separated list


def test_credentials_and_max_age() -> None:
    (_, rule) = cors_rules(env(allowed_origins=["https://a.example.com"], allow_credentials=True))
    headers = {h["key"]: h["value"] for h in rule["headers"]}
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert headers["Access-Control-Max-Age"] == "600"


def test_no_origins_means_no_cors_headers() -> None:
    assert cors_rules(env()) == []


@given(st.text(min_size=1, max_size=40))
def test_escaped_origin_matches_only_itself(origin: str) -> None:
    pattern = re.compile(escape_regex(origin))
    assert pattern.fullmatch(origin)
    if "." in origin:
        assert not pattern.fullmatch(origin.replace(".", "X", 1))
