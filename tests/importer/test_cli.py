"""`meterr-config import` as a user runs it: exact report lines, exit codes, files written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import FIXTURES, Runner
from tests.importer.helpers import rendered_vercel, semantic

LEGACY = FIXTURES / "import" / "legacy"
PROJECT = ("--project", "shop", "--plan", "pro", "--next-version", "16.4")


def test_legacy_keys_are_each_reported_and_left_out(cli: Runner, workdir: Path) -> None:
    result = cli("import", str(LEGACY / "routes-builds.json"), "--env", "legacy", *PROJECT)
    assert result.code == 1, result.err
    assert result.out.splitlines() == [
        "legacy.toml: target: assumed: 'preview'; pass --target legacy if it is a Vercel "
        "custom environment",
        "routes-builds.json:2: version: not carried over: legacy: Vercel ignores `version` "
        "(2 is the only platform version); left out (--passthrough keeps it verbatim)",
        "routes-builds.json:3: builds: not carried over: legacy: `builds` turns off "
        "zero-config framework builds and the project's build settings; Next.js needs no "
        "`builds`; left out (--passthrough keeps it verbatim)",
        "routes-builds.json:4: routes: not carried over: legacy routing: Vercel refuses it "
        "next to redirects, rewrites, headers, cleanUrls or trailingSlash; rewrite it as "
        "those; left out (--passthrough keeps it verbatim)",
        f"wrote {Path('environments') / 'legacy.toml'}",
        "0 fixed, 3 not carried over.",
    ]
    assert (workdir / "environments" / "legacy.toml").is_file()


def test_passthrough_keeps_legacy_keys_and_renders_them_unchanged(
    cli: Runner, workdir: Path
) -> None:
    source = LEGACY / "routes-builds.json"
    result = cli("import", str(source), "--env", "production", "--force", "--passthrough", *PROJECT)
    assert result.code == 0, result.out + result.err
    assert [line.split(": ")[1:3] for line in result.out.splitlines() if ": kept" in line] == [
        ["version", "kept verbatim"],
        ["builds", "kept verbatim"],
        ["routes", "kept verbatim"],
    ]
    rendered = rendered_vercel(workdir / "environments")
    assert semantic(rendered) == semantic(json.loads(source.read_text()))


def test_unmodelled_keys_are_named_one_per_line(cli: Runner) -> None:
    result = cli("import", str(LEGACY / "unmodelled.json"), "--env", "x", *PROJECT)
    assert result.code == 1
    assert [
        line.split(": ")[:3] for line in result.out.splitlines() if ": not carried" in line
    ] == [
        ["unmodelled.json:4", "github", "not carried over"],
        ["unmodelled.json:5", "ignoreCommand", "not carried over"],
        ["unmodelled.json:6", "public", "not carried over"],
    ]


def test_legacy_env_becomes_declarations_and_secrets_are_never_written(
    cli: Runner, workdir: Path
) -> None:
    result = cli("import", str(LEGACY / "env.json"), "--env", "x", *PROJECT)
    # `vercel deploy` still sends vercel.json `env`; the rendered file does not: not a fix
    assert result.code == 1, result.err
    assert (
        "env.json:3: env: not carried over: legacy, moved to [env]: `vercel deploy` still "
        "sends vercel.json `env` with each deployment and the rendered vercel.json does not, "
        "so set these variables in the Vercel project first" in result.out.splitlines()
    )
    written = (workdir / "environments" / "x.toml").read_text()
    assert "CANARY" not in written + result.out + result.err
    assert (
        "env.json:4: env.DATABASE_URL: secret: declared a secret (by its name), format "
        "postgres-url; value not written" in result.out.splitlines()
    )
    assert 'NEXT_PUBLIC_SITE_URL = "https://shop.example.com"' in written


def test_dotenv_secrets_are_declared_with_formats(cli: Runner, workdir: Path) -> None:
    source = FIXTURES / "import" / "guide.env.example"
    shutil.copy(source, workdir / ".env.example")
    result = cli("import", ".env.example", "--env", "x", *PROJECT)
    assert result.code == 0, result.err
    secrets = [line.split(": ")[1] for line in result.out.splitlines() if ": secret:" in line]
    assert secrets == [
        "DATABASE_URL",
        "REDIS_URL",
        "JWT_SECRET",
        "ENCRYPTION_KEY",
        "OPENAI_API_KEY",
        "ANTHROPIC_API_KEY",
        "CRON_SECRET",
    ]
    env = (
        __import__("meterr_config.load", fromlist=["Loader"])
        .Loader(workdir / "environments")
        .load("x")
        .model
    )
    assert {n: v.format for n, v in env.env.items() if v.secret} == {
        "DATABASE_URL": "postgres-url",
        "REDIS_URL": "redis-url",
        "JWT_SECRET": "random",
        "ENCRYPTION_KEY": "random",
        "OPENAI_API_KEY": "openai-key",
        "ANTHROPIC_API_KEY": "anthropic-key",
        "CRON_SECRET": "random",
    }
    assert {n: f.value for n, f in env.flags.items()} == {
        "NEW_DASHBOARD": False,
        "SMART_ROUTING_V2": False,
    }
    assert env.env["NODE_ENV"].value == "production"


def test_extends_writes_only_what_differs_and_renders_the_input(cli: Runner, workdir: Path) -> None:
    staging = json.loads((Path(__file__).parents[2] / "generated/staging/vercel.json").read_text())
    staging["regions"] = ["iad1"]
    del staging["crons"]
    staging["functions"]["app/api/**/*.ts"]["maxDuration"] = 60
    (workdir / "vercel.staging.json").write_text(json.dumps(staging))
    result = cli(
        "import",
        "vercel.staging.json",
        "--env",
        "staging2",
        "--extends",
        "production",
        "--target",
        "staging",
    )
    assert result.code == 0, result.out + result.err
    import tomllib

    written = tomllib.loads((workdir / "environments" / "staging2.toml").read_text())
    assert written == {
        "extends": "production",
        "target": "staging",
        "vercel": {
            "regions": ["iad1"],
            "crons": [],
            "functions": {"app/api/**/*.ts": {"max_duration": 60}},
        },
    }
    assert semantic(rendered_vercel(workdir / "environments", "staging2")) == semantic(staging)


def test_an_existing_file_is_never_overwritten_without_force(cli: Runner, workdir: Path) -> None:
    target = workdir / "environments" / "production.toml"
    before = target.read_bytes()
    result = cli("import", str(LEGACY / "unmodelled.json"), "--env", "production", *PROJECT)
    assert result.code == 2
    assert result.err.strip() == (
        f"meterr-config: error: {Path('environments') / 'production.toml'}: "
        "already exists; pass --force to replace it"
    )
    assert target.read_bytes() == before


def test_bad_input_is_one_line_and_exit_2(cli: Runner, workdir: Path) -> None:
    (workdir / "broken.json").write_text('{"regions": [\n  "iad1",\n}\n')
    (workdir / "notes.txt").write_text("x")
    (workdir / "deep.json").write_text('{"git": ' + "[" * 40 + "]" * 40 + "}")
    (workdir / "abyss.json").write_text("[" * 100_000)
    cases = {
        ("broken.json",): "broken.json:3:1: invalid JSON",
        ("missing.json",): "missing.json: file not found",
        ("notes.txt",): "notes.txt: not a vercel.json",
        ("deep.json",): "deep.json: nested more than 32 levels deep",
        ("abyss.json",): "abyss.json: JSON nested too deeply to read",
    }
    for files, start in cases.items():
        result = cli("import", *files, "--env", "new", *PROJECT)
        assert result.code == 2, files
        assert result.err.startswith(f"meterr-config: error: {start}"), result.err
        assert result.err.count("\n") == 1
        assert not (workdir / "environments" / "new.toml").exists()
    result = cli("import", str(LEGACY / "env.json"), "--env", "Bad Name")
    assert result.code == 2 and "is not an environment name" in result.err
    result = cli("import", str(LEGACY / "env.json"), "--env", "x", "--extends", "nope")
    assert result.code == 2 and "unknown environment 'nope'" in result.err


def test_next_config_without_node_says_it_needs_node(cli: Runner, workdir: Path) -> None:
    shutil.copy(FIXTURES / "guide" / "next.config.ts", workdir / "next.config.ts")
    env = {"PATH": "/nonexistent", "METERR_CONFIG_TOOLS": str(workdir / "no-tools")}
    result = cli("import", "next.config.ts", "--env", "new", *PROJECT, env=env)
    assert result.code == 2
    assert result.err.startswith(
        "meterr-config: error: next.config.ts: reading next.config needs Node.js and Next.js"
    )
    assert not (workdir / "environments" / "new.toml").exists()


def test_extends_keeps_the_parents_secrets_and_flags(cli: Runner, workdir: Path) -> None:
    example = Path(__file__).parents[2] / "generated" / "staging" / ".env.example"
    result = cli(
        "import", str(example), "--env", "stg", "--extends", "production", "--target", "staging"
    )
    assert result.code == 0, result.out + result.err
    import tomllib

    written = tomllib.loads((workdir / "environments" / "stg.toml").read_text())
    assert written == {
        "extends": "production",
        "target": "staging",
        "env": {"NEXT_PUBLIC_API_URL": "https://api.staging.meterr.ai"},
        "flags": {"NEW_DASHBOARD": True, "SMART_ROUTING_V2": True},
    }


def test_credentials_in_routes_are_never_written(cli: Runner, workdir: Path) -> None:
    doc = {
        "rewrites": [{"source": "/db", "destination": "https://admin:CANARYpw77@internal.io/x"}],
        "headers": [
            {"source": "/a", "headers": [{"key": "Authorization", "value": "Bearer CANARYtok"}]},
            {"source": "/b", "headers": [{"key": "Cache-Control", "value": "no-store"}]},
        ],
    }
    (workdir / "sec.json").write_text(json.dumps(doc))
    result = cli("import", "sec.json", "--env", "s", *PROJECT)
    assert result.code == 1
    assert [line.split(": ", 2)[1:] for line in result.out.splitlines() if "secret" in line] == [
        ["rewrites[0]", "not carried over: the destination looks like a secret: rule not written"],
        [
            "headers[0]",
            "not carried over: header 'Authorization' looks like a secret: rule not written",
        ],
    ]
    written = (workdir / "environments" / "s.toml").read_text()
    assert "CANARY" not in written + result.out + result.err
    assert "no-store" in written


def test_what_render_would_refuse_is_reported_and_the_plan_inferred(
    cli: Runner, workdir: Path
) -> None:
    (workdir / "v.json").write_text(json.dumps({"regions": ["iad1", "sfo1"]}))
    result = cli("import", "v.json", "--env", "a", "--project", "p", "--next-version", "16.4")
    assert result.code == 0, result.out
    assert "a.toml: project.plan: assumed: 'enterprise' (2 function regions need it)" in result.out
    result = cli("import", "v.json", "--env", "b", "--plan", "hobby", *PROJECT[:2], *PROJECT[4:])
    assert result.code == 1
    refused = [line for line in result.out.splitlines() if ": render would refuse it:" in line]
    assert refused and all(
        line.startswith("b.toml: regions: render would refuse it: VER") for line in refused
    )


def test_key_order_in_the_input_does_not_change_the_file(cli: Runner, workdir: Path) -> None:
    source = FIXTURES / "import" / "roundtrip" / "14-midday-multi-region-dashboard.json"
    doc = json.loads(source.read_text())
    (workdir / "a.json").write_text(json.dumps(doc))
    (workdir / "b.json").write_text(json.dumps(dict(reversed(list(doc.items())))))
    for name in ("a", "b"):
        args = ("--env", name, "--out", f"{name}.toml", "--plan", "enterprise", "--project", "p")
        assert cli("import", f"{name}.json", *args, "--next-version", "16.4").code == 0
    body = [(workdir / f"{n}.toml").read_text().split("\n", 2)[2] for n in ("a", "b")]
    assert body[0].replace("b.json", "a.json") == body[1].replace("b.json", "a.json")


def test_outputs_that_would_lose_data_are_refused(cli: Runner, workdir: Path) -> None:
    (workdir / "in.json").write_text("{}")
    cases = {
        ("--out", "in.json", "--force"): "in.json: is one of the files being imported",
        ("--out", "environments"): "environments: is a folder",
        ("--extends", "production", "--out", "stg.toml"): "stg.toml: must be in environments",
        ("--target", "Bad Target"): "--target 'Bad Target': lowercase letters",
    }
    for extra, start in cases.items():
        result = cli("import", "in.json", "--env", "x", *PROJECT, *extra)
        assert result.code == 2, extra
        assert result.err.startswith(f"meterr-config: error: {start}"), result.err
    assert (workdir / "in.json").read_text() == "{}"
