"""Every rule: a minimal failing input reports exactly that rule id; a passing one does not."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from meterr_config.envfile import Misread, Misreading
from meterr_config.lint.engine import BY_ID, lint
from meterr_config.snapshot import OverrideCounts, RuntimeFlagEntry, Snapshot
from tests.lint.snaps import (
    ANTHROPIC,
    HEX,
    OPENAI,
    RANDOM,
    SECURE,
    base,
    cors,
    hdr,
    plain,
    secret,
    with_env,
    with_vercel,
)

B = base()
ORIGIN_GATE = [{"type": "header", "key": "origin", "value": r"https://app\.meterr\.ai"}]
DEV = base(target="development", name="development")

# rule id -> (failing snapshot, passing snapshot)
SINGLE: dict[str, tuple[Snapshot, Snapshot]] = {
    "SEC001": (
        with_env(B, secret("JWT_SECRET", "short-but-random-Zq8")),
        with_env(B, secret("JWT_SECRET", RANDOM)),
    ),
    "SEC002": (
        with_env(B, secret("ENCRYPTION_KEY", RANDOM, format="hex32")),
        with_env(
            B,
            secret("ENCRYPTION_KEY", HEX, format="hex32"),
            secret("OPENAI_API_KEY", OPENAI, format="openai-key"),
            secret("ANTHROPIC_API_KEY", ANTHROPIC, format="anthropic-key"),
            secret(
                "DATABASE_URL",
                "postgresql://u:p@db.example.com/x?sslmode=require",
                format="postgres-url",
            ),
        ),
    ),
    "SEC003": (
        with_env(B, secret("API_TOKEN", "abcabcabcabcabcabcabcabcabcabcabcabc")),
        with_env(B, secret("API_TOKEN", RANDOM)),
    ),
    "SEC004": (with_env(B, secret("API_TOKEN", "changeme")), B),
    "SEC006": (
        with_env(B, plain("NEXT_PUBLIC_OPENAI", OPENAI)),
        with_env(B, plain("NEXT_PUBLIC_API_URL", "https://api.meterr.ai")),
    ),
    "SEC008": (with_env(B, secret("DATABASE_URL", None)), B),
    "CORS001": (cors("*"), cors("https://app.meterr.ai")),
    "CORS002": (cors("https://a.example.com,https://b.example.com"), cors("https://a.example.com")),
    "CORS003": (cors("null"), cors("https://a.example.com")),
    "CORS004": (
        cors(
            "https://a.example.com",
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Headers", "*"),
        ),
        cors("https://a.example.com", ("Access-Control-Allow-Credentials", "true")),
    ),
    "CORS005": (cors("http://app.meterr.ai"), cors("https://app.meterr.ai")),
    "CORS006": (cors("https://App.meterr.ai/"), cors("https://app.meterr.ai")),
    "CORS007": (
        cors("https://app.meterr.ai", vary=False, has=ORIGIN_GATE),
        cors("https://app.meterr.ai", has=ORIGIN_GATE),
    ),
    "CORS009": (
        cors("https://app.meterr.ai", ("Access-Control-Max-Age", "86400")),
        cors("https://app.meterr.ai", ("Access-Control-Max-Age", "7200")),
    ),
    "CORS008": (
        cors(
            "https://app.meterr.ai",
            has=[{"type": "header", "key": "origin", "value": "https://app.meterr.ai"}],
        ),
        cors(
            "https://app.meterr.ai",
            has=[{"type": "header", "key": "origin", "value": r"https://app\.meterr\.ai"}],
        ),
    ),
    "HDR001": (
        with_vercel(B, headers=[hdr("/(.*)", {**SECURE, "X-Content-Type-Options": "x"})]),
        B,
    ),
    "HDR002": (
        with_vercel(
            B,
            headers=[
                hdr(
                    "/(.*)",
                    {
                        k: v
                        for k, v in SECURE.items()
                        if k not in ("X-Frame-Options", "Content-Security-Policy")
                    },
                )
            ],
        ),
        B,
    ),
    "HDR003": (
        with_vercel(B, headers=[hdr("/(.*)", {**SECURE, "Referrer-Policy": "unsafe-url"})]),
        B,
    ),
    "HDR004": (
        with_vercel(
            B, headers=[hdr("/(.*)", {**SECURE, "Strict-Transport-Security": "max-age=600"})]
        ),
        B,
    ),
    "HDR005": (
        with_vercel(
            B,
            headers=[
                hdr(
                    "/(.*)",
                    {**SECURE, "Content-Security-Policy": "default-src 'self' 'unsafe-inline'"},
                )
            ],
        ),
        B,
    ),
    "HDR008": (with_vercel(B, headers=[]), B),
    "HDR006": (
        base(next_routes={"headers": [hdr("/(.*)", {"X-Frame-Options": "SAMEORIGIN"})]}),
        base(next_routes={"headers": [hdr("/(.*)", {"X-Frame-Options": "DENY"})]}),
    ),
    "HDR007": (base(next_config={"output": "standalone"}), B),
    "CRON001": (with_vercel(B, crons=[{"path": "/api/c", "schedule": "0 2 * * * *"}]), B),
    "CRON002": (
        base(
            plan="hobby",
            vercel={**(B.vercel or {}), "crons": [{"path": "/a", "schedule": "*/10 * * * *"}]},
        ),
        base(plan="hobby"),
    ),
    "CRON003": (
        with_vercel(
            B,
            crons=[
                {"path": "/a", "schedule": "0 2 * * *"},
                {"path": "/a", "schedule": "0 3 * * *"},
            ],
        ),
        B,
    ),
    "CRON004": (replace(B, env={k: v for k, v in B.env.items() if k != "CRON_SECRET"}), B),
    "CRON005": (
        with_vercel(B, crons=[{"path": f"/c/{i}", "schedule": "0 2 * * *"} for i in range(101)]),
        B,
    ),
    "VER001": (with_vercel(B, regions=["us-east-1"]), B),
    "VER002": (
        with_vercel(B, regions=["iad1", "sfo1"]),
        base(plan="enterprise", vercel={**(B.vercel or {}), "regions": ["iad1", "sfo1"]}),
    ),
    "VER003": (
        with_vercel(B, functions={"api/*.ts": {"maxDuration": 2400}}),
        with_vercel(B, functions={"api/*.ts": {"maxDuration": 800}}),
    ),
    "VER004": (
        with_vercel(B, functions={"api/*.ts": {"memory": 8192}}),
        with_vercel(B, functions={"api/*.ts": {"memory": 3009}}),
    ),
    "VER005": (
        with_vercel(B, redirects=[{"source": "/blog/(.*", "destination": "/", "permanent": True}]),
        with_vercel(B, redirects=[{"source": "/blog/(.*)", "destination": "/", "permanent": True}]),
    ),
    "VER006": (
        with_vercel(
            B, redirects=[{"source": "/b/:slug", "destination": "/p/:id", "permanent": True}]
        ),
        with_vercel(
            B, redirects=[{"source": "/b/:slug", "destination": "/p/:slug", "permanent": True}]
        ),
    ),
    "VER007": (with_vercel(B, routes=[{"src": "/a", "dest": "/b"}]), B),
    "VER008": (
        with_vercel(
            B,
            redirects=[
                {"source": "/a", "destination": "/b", "permanent": True},
                {"source": "/b", "destination": "/a", "permanent": True},
            ],
        ),
        with_vercel(B, redirects=[{"source": "/a", "destination": "/b", "permanent": True}]),
    ),
    "VER009": (
        with_vercel(B, rewrites=[{"source": f"/r{i}", "destination": "/x"} for i in range(2049)]),
        B,
    ),
    "VER010": (
        with_vercel(
            B,
            redirects=[
                {
                    "source": "/docs/:path((?:[a-z]+-?)+)",
                    "destination": "/guide/:path",
                    "permanent": True,
                }
            ],
        ),
        with_vercel(
            B,
            redirects=[
                {
                    "source": "/docs/:path([a-z]+(?:-[a-z]+)*)",
                    "destination": "/guide/:path",
                    "permanent": True,
                }
            ],
        ),
    ),
    "NEXT001": (
        base(
            next_config={
                "poweredByHeader": False,
                "experimental": {"serverComponentsExternalPackages": ["pg"]},
            }
        ),
        base(next_config={"poweredByHeader": False, "serverExternalPackages": ["pg"]}),
    ),
    "NEXT002": (base(next_config={"poweredByHeader": False, "swcMinify": True}), B),
    "NEXT003": (base(next_version="14.2", next_config={"poweredByHeader": False}), B),
    "NEXT004": (base(next_config={"poweredByHeader": False, "env": {"NODE_OPTIONS": "x"}}), B),
    "NEXT005": (
        base(
            next_routes={"redirects": [{"source": "api", "destination": "/h", "permanent": False}]}
        ),
        base(
            next_routes={"redirects": [{"source": "/api", "destination": "/h", "permanent": False}]}
        ),
    ),
    "VER011": (
        base(vercel_rejected=(("VAL004", "error", ("functions",), "'functions' with 'builds'"),)),
        B,
    ),
    "NEXT006": (base(next_failure=("refused", "next.config.js: Unexpected token")), B),
    "NEXT007": (base(next_failure=("not evaluated", "Cannot find module 'x'")), B),
    "NEXT008": (base(next_warnings=((("images",), "Expected object, received string"),)), B),
    "ENV002": (with_env(B, plain("NODE_ENV", "development")), B),
    "ENV003": (
        with_env(B, plain("NEXT_PUBLIC_API_URL", "http://api.meterr.ai")),
        with_env(B, plain("NEXT_PUBLIC_API_URL", "https://api.meterr.ai")),
    ),
    "ENV004": (
        with_env(B, plain("API_BASE", "http://localhost:3000/v1")),
        with_env(B, plain("API_BASE", "https://api.meterr.ai/v1")),
    ),
    "ENV005": (
        with_env(B, plain("CACHE_URL", "redis://cache.example.com:6379")),
        with_env(B, plain("CACHE_URL", "rediss://cache.example.com:6379")),
    ),
    "ENV006": (
        with_env(B, plain("PG", "postgresql://db.example.com/x")),
        with_env(B, plain("PG", "postgresql://db.example.com/x?sslmode=require")),
    ),
    "ENV007": (with_env(B, plain("BLOB", "x" * 70000)), with_env(B, plain("BLOB", "x" * 1000))),
    "ENV008": (
        replace(B, dotenv_misread=(Misread(".env", 3, "A", (Misreading.CUT_AT_HASH,), 7, 3),)),
        B,
    ),
    "FLAG001": (base(flags={"MAINTENANCE_MODE": True}), B),
    "FLAG002": (base(flags={"BETA_FEATURES": True}), base(flags={"BETA_FEATURES": False})),
    "FLAG004": (
        base(runtime_flags={"MAINTENANCE_MODE": RuntimeFlagEntry(enabled=False)}),
        base(runtime_flags={"USAGE_ALERTS": RuntimeFlagEntry(enabled=True)}),
    ),
    "FLAG005": (
        base(flags={}, runtime_flags={"MAINTENANCE_MODE": RuntimeFlagEntry(enabled=True)}),
        base(flags={}, runtime_flags={"MAINTENANCE_MODE": RuntimeFlagEntry(enabled=False)}),
    ),
    "FLAG006": (
        base(overrides=OverrideCounts(rows=3, users=2, unknown={"OLD_CHECKOUT": 1})),
        base(overrides=OverrideCounts(rows=3, users=2)),
    ),
}

# Rules that compare environments: failing list, passing list.
STAGING = replace(B, name="staging", target="staging")
CROSS: dict[str, tuple[list[Snapshot], list[Snapshot]]] = {
    "SEC005": (
        [B, STAGING],
        [
            B,
            with_env(
                STAGING,
                secret("JWT_SECRET", RANDOM[::-1] + "y"),
                secret("CRON_SECRET", RANDOM[::-1]),
            ),
        ],
    ),
    "ENV001": ([B, with_env(STAGING, plain("STRIPE_KEY", "pk"))], [B, STAGING]),
    "FLAG003": (
        [B, replace(STAGING, flags={"MAINTENANCE_MODE": False, "NEW": True})],
        [B, STAGING],
    ),
}


def only(rule_id: str, snaps: list[Snapshot]) -> list[str]:
    return [f.rule for f in lint(snaps, rules=(BY_ID[rule_id],))]


def test_every_rule_has_a_test() -> None:
    assert set(SINGLE) | set(CROSS) | {"SEC007"} == set(BY_ID)


@pytest.mark.parametrize("rule_id", sorted(SINGLE))
def test_failing_input_reports_exactly_this_rule(rule_id: str) -> None:
    failing, passing = SINGLE[rule_id]
    found = only(rule_id, [failing])
    assert found and set(found) == {rule_id}
    assert only(rule_id, [passing]) == []


@pytest.mark.parametrize("rule_id", sorted(CROSS))
def test_cross_environment_rules(rule_id: str) -> None:
    failing, passing = CROSS[rule_id]
    assert set(only(rule_id, failing)) == {rule_id}
    assert only(rule_id, passing) == []


def test_the_base_snapshot_is_clean() -> None:
    assert [f for f in lint([B]) if f.severity != "info"] == []


def test_development_relaxes_errors_and_skips_production_only_rules() -> None:
    wildcard = replace(cors("*"), target="development")
    assert only("CORS001", [wildcard]) == []
    short = with_env(DEV, secret("JWT_SECRET", "short"))
    (finding,) = lint([short], rules=(BY_ID["SEC001"],))
    assert finding.severity == "warning"


def test_secret_rules_say_not_checked_without_values() -> None:
    unsupplied = with_env(replace(B, values_supplied=False), secret("API_TOKEN", None))
    (note,) = lint([unsupplied], rules=(BY_ID["SEC001"], BY_ID["SEC005"]))
    assert (note.rule, note.severity, note.artifact) == ("NOTE", "info", "env")
    assert note.message.startswith("SEC001, SEC005 not checked: no secret values supplied")


def test_reuse_message_never_contains_the_value() -> None:
    (finding,) = lint([B, STAGING], rules=(BY_ID["SEC005"],))[:1]
    assert RANDOM not in finding.message
    assert "<redacted:" in finding.message


def test_plain_values_are_checked_against_their_declared_rules() -> None:
    short = with_env(B, plain("PUBLIC_ID", "abc"))
    short = replace(
        short, env={**short.env, "PUBLIC_ID": replace(short.env["PUBLIC_ID"], min_length=8)}
    )
    assert only("SEC001", [short]) == ["SEC001"]


def test_a_secret_turned_off_with_a_value_is_a_committed_secret() -> None:
    found = lint([with_env(B, plain("JWT_SECRET", "short"))], rules=(BY_ID["SEC007"],))
    assert [(f.rule, f.key) for f in found] == [("SEC007", "JWT_SECRET")]
    local = with_env(B, plain("DATABASE_URL", "postgresql://localhost:5432/dev"))
    assert only("SEC007", [local]) == []  # a URL without credentials is not a secret


def test_a_secret_in_vercel_json_env_is_a_committed_secret() -> None:
    folder = replace(B, source="dir")
    legacy = with_vercel(folder, env={"JWT_SECRET": RANDOM}, build={"env": {"API_TOKEN": RANDOM}})
    found = [f for f in lint([legacy], rules=(BY_ID["SEC007"],)) if f.artifact == "vercel.json"]
    assert [(f.rule, f.severity, f.key) for f in found] == [
        ("SEC007", "error", "build.env.API_TOKEN"),
        ("SEC007", "error", "env.JWT_SECRET"),
    ]
    assert RANDOM not in found[0].message
    plain_values = with_vercel(folder, env={"NEXT_PUBLIC_SITE": "https://meterr.ai"})
    assert [
        f for f in lint([plain_values]) if f.artifact == "vercel.json" and f.rule == "SEC007"
    ] == []


@pytest.mark.parametrize("value", ["changeme123", "password1", "Secret!", "test_2024"])
def test_guessable_words_with_digits_are_placeholders(value: str) -> None:
    assert only("SEC004", [with_env(B, secret("API_TOKEN", value))]) == ["SEC004"]


def test_every_rule_summary_is_a_whole_sentence() -> None:
    """`rules` and SARIF's shortDescription show it: it must not stop mid-phrase."""
    from meterr_config.lint.docs import summary
    from meterr_config.lint.rules import RULES

    cut = [rule.id for rule in RULES if not summary(rule).endswith((".", ".)"))]
    assert cut == []


@pytest.mark.parametrize(
    ("plan", "seconds", "expected"),
    [
        ("hobby", 300, []),
        ("hobby", 301, [("VER003", "error")]),
        ("pro", 800, []),
        ("pro", 801, [("VER003", "warning")]),  # Fluid compute beta, Node.js and Python
        ("enterprise", 1800, [("VER003", "warning")]),
        ("pro", 1801, [("VER003", "error")]),  # over the CLI's own bound too
    ],
)
def test_max_duration_follows_the_plans_and_fluid_compute(
    plan: str, seconds: int, expected: list[tuple[str, str]]
) -> None:
    snap = replace(with_vercel(B, functions={"api/*.ts": {"maxDuration": seconds}}), plan=plan)
    found = [(f.rule, f.severity) for f in lint([snap], rules=(BY_ID["VER003"],))]
    assert found == expected


def test_failover_regions_are_region_codes_too() -> None:
    snap = with_vercel(B, functionFailoverRegions=["iad1", "us-west-2"])
    found = [(f.rule, f.key) for f in lint([snap], rules=(BY_ID["VER001"],))]
    assert found == [("VER001", "functionFailoverRegions[1]")]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("/old/*", "Unexpected MODIFIER at 5, expected END"),
        ("/a/{b", "Unexpected END at 5, expected CLOSE"),
        ("/a/b}", "Unexpected CLOSE at 4, expected END"),
    ],
)
def test_ver005_refuses_what_vercel_s_path_to_regexp_refuses(source: str, message: str) -> None:
    snap = with_vercel(B, redirects=[{"source": source, "destination": "/", "permanent": True}])
    (finding,) = lint([snap], rules=(BY_ID["VER005"],))
    assert message in finding.message


def _ver006(snap: Snapshot) -> list[tuple[str, str]]:
    return [(f.severity, f.message.split(",")[0]) for f in lint([snap], rules=(BY_ID["VER006"],))]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # the host of an external destination counts: url.parse moves `:sub` to the path
        (
            {"source": "/x", "destination": "https://:sub.example.com/x"},
            [("error", "destination uses :sub")],
        ),
        # a host condition with a value defines :host
        (
            {
                "source": "/x",
                "destination": "https://:host/y",
                "has": [{"type": "host", "value": "(?<h>.*)\\.example\\.com"}],
            },
            [],
        ),
        ({"source": "/x", "destination": "/y?q=:q"}, [("error", "destination uses :q")]),
        # Vercel does not check the hash, and keeps `:id` there as written
        ({"source": "/x", "destination": "/y#:id"}, [("warning", "destination uses :id")]),
        # url.parse makes a backslash before the query a slash: `/y/\\:id` is `/y//:id`
        ({"source": "/x", "destination": "/y/\\:id"}, [("error", "destination uses :id")]),
        # a password in the userinfo is never read as a parameter (nor shown)
        ({"source": "/x", "destination": "https://u:pAss9@example.com/"}, []),
    ],
)
def test_ver006_in_vercel_json_is_an_error_vercel_refuses_the_param(
    rule: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    """vercel build's getTransformedRoutes (checkPatternSyntax) refuses a parameter of
    the host, path or query that nothing defines; tests/realtools/test_destination_params.py
    compares with it on generated routes."""
    snap = with_vercel(B, redirects=[{**rule, "permanent": True}])
    assert _ver006(snap) == expected


def test_ver006_in_next_config_is_an_error_for_a_relative_destination_only() -> None:
    rules = [
        {"source": "/a", "destination": "/b/:id", "permanent": True},
        {"source": "/c", "destination": "/d?q=:q", "permanent": True},  # Next ignores the query
        {"source": "/e", "destination": "https://x.example.com/:id", "permanent": True},
    ]
    snap = base(next_routes={"redirects": rules})
    found = sorted(_ver006(snap))
    assert found == [("error", "destination uses :id"), ("warning", "destination uses :id")]


@pytest.mark.parametrize(
    ("next_file", "severity"), [("next.config.js", "warning"), ("next.config.ts", "error")]
)
def test_a_removed_key_is_a_warning_unless_typescript_checks_it(
    next_file: str, severity: str
) -> None:
    """Next 16.4 only warns about `swcMinify`; `next build` type-checks a .ts config."""
    snap = base(next_config={"swcMinify": True}, next_file=next_file)
    found = [(f.rule, f.severity) for f in lint([snap], rules=(BY_ID["NEXT002"],))]
    assert found == [("NEXT002", severity)]


def test_a_removed_key_in_ts_is_a_warning_when_type_errors_are_ignored() -> None:
    config = {"swcMinify": True, "typescript": {"ignoreBuildErrors": True}}
    snap = base(next_config=config, next_file="next.config.ts")
    found = [(f.rule, f.severity) for f in lint([snap], rules=(BY_ID["NEXT002"],))]
    assert found == [("NEXT002", "warning")]


def test_a_key_that_is_no_longer_needed_is_a_warning_even_in_typed_ts() -> None:
    """Next 16.4 keeps `experimental.after` in its type and ignores it with a warning."""
    snap = base(next_config={"experimental": {"after": True}}, next_file="next.config.ts")
    found = [(f.rule, f.severity, f.message) for f in lint([snap], rules=(BY_ID["NEXT002"],))]
    assert found == [
        (
            "NEXT002",
            "warning",
            "'experimental.after' is no longer needed: `after` is available by default since "
            "Next.js 15.1, and Next ignores the key",
        )
    ]


@pytest.mark.parametrize(
    ("config", "version", "refused"),
    [
        ({"experimental": {"ppr": True}}, "16.4", True),
        ({"experimental": {"ppr": False}}, "16.4", False),
        ({"experimental": {"ppr": True}}, "15.5", False),
        ({"experimental": {"dynamicIO": True}}, "16.0", True),
        ({"experimental": {"turbopackPersistentCaching": True}}, "16.4", True),
        ({"target": "serverless"}, "16.4", True),
        ({"target": "server"}, "16.4", False),
        (
            {"experimental": {"middlewarePrefetch": "strict", "proxyPrefetch": "strict"}},
            "16.4",
            True,
        ),
        ({"experimental": {"middlewarePrefetch": "strict"}}, "16.4", False),
        ({"skipMiddlewareUrlNormalize": True, "skipProxyUrlNormalize": True}, "16.4", True),
    ],
)
def test_keys_next_refuses_are_next006_errors(
    config: dict[str, Any], version: str, refused: bool
) -> None:
    """What Next 16.4.6's loader refuses (tests/realtools/test_next_tables.py checks the
    whole table against it) fails `next build`: an error in every source."""
    snap = base(next_config=config, next_version=version)
    found = [(f.rule, f.severity) for f in lint([snap], rules=(BY_ID["NEXT006"],))]
    assert found == ([("NEXT006", "error")] if refused else [])


def test_images_domains_is_deprecated_for_remote_patterns() -> None:
    snap = base(next_config={"images": {"domains": ["cdn.example.com"]}})
    found = [(f.rule, f.key) for f in lint([snap], rules=(BY_ID["NEXT001"],))]
    assert found == [("NEXT001", "images.domains")]


def test_keys_a_spread_string_leaves_are_one_finding() -> None:
    """next-pwa 5.6 called as 5.4 was returns a function, which Next calls with the
    phase: `{...phase}` gives the config one key per character."""
    config = {str(n): c for n, c in enumerate("phase-production-build")} | {"swcMinify": True}
    snap = base(next_config=config)
    found = {(f.key, f.message) for f in lint([snap], rules=(BY_ID["NEXT002"],))}
    assert found == {
        (
            None,
            "the config has 22 key(s) '0'…'21': a string or array was spread into it (a "
            "plugin called with the wrong arguments?), and Next ignores them",
        ),
        ("swcMinify", "'swcMinify' was removed in Next.js 15.0: Next ignores it"),
    }
