"""`import` of next.config with the real Next.js: the guide, and a config of real-world shape."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from meterr_config.importer.next_config import resolved_routes
from meterr_config.load import Loader
from meterr_config.models.nextjs import FromEnv
from meterr_config.realtools.nextcheck import probe
from meterr_config.realtools.tools import Tools
from meterr_config.render import render
from tests.conftest import FIXTURES, run_cli
from tests.importer.helpers import rendered_vercel, semantic

GUIDE = FIXTURES / "guide"
CANARY = "CANARYcallerSecretPW42"


def test_the_guide_imports_with_one_fix_and_its_origin_not_carried(
    tmp_path: Path, tools: Tools, tools_env: dict[str, str]
) -> None:
    for name in ("vercel.json", "next.config.ts"):
        shutil.copy(GUIDE / name, tmp_path / name)
    args = ("import", "vercel.json", "next.config.ts", "--env", "production")
    result = run_cli(
        *args,
        "--project",
        "meterr",
        "--plan",
        "enterprise",
        "--next-version",
        "16.4",
        cwd=tmp_path,
        env=tools_env,
    )
    assert result.code == 1, result.out + result.err  # the origin is not carried over
    assert result.out.splitlines() == [
        "next.config.ts:5: experimental.serverComponentsExternalPackages: fixed: renamed to "
        "'serverExternalPackages' in Next.js 15.0; carried as serverExternalPackages",
        "next.config.ts:17: headers[0]: not carried over: Access-Control-Allow-Origin is read "
        "from ALLOWED_ORIGINS at build time (and a fallback in code, such as `|| '*'`, goes "
        "unseen); moved to [cors] with no allowed origins: list them in cors.allowed_origins",
        f"wrote {Path('environments') / 'production.toml'}",
        "1 fixed, 1 not carried over.",
    ]
    environments = tmp_path / "environments"
    guide_vercel = json.loads((GUIDE / "vercel.json").read_text())
    assert semantic(rendered_vercel(environments)) == semantic(guide_vercel)
    # The rendered next.config.ts, loaded by Next.js, is the guide's but for the two fixes.
    app = tmp_path / "rendered"
    app.mkdir()
    files = render(Loader(environments).load("production"))
    (app / "next.config.ts").write_bytes(files["next.config.ts"])
    mine, guide = probe(tools, app), probe(tools, tmp_path)
    assert mine["ok"] and guide["ok"]
    assert mine["userConfig"]["serverExternalPackages"] == ["pg", "redis"]
    assert "experimental" not in mine["userConfig"]
    assert mine["userConfig"]["output"] == guide["userConfig"]["output"] == "standalone"
    routes, theirs = resolved_routes(mine), resolved_routes(guide)
    assert routes["redirects"] == theirs["redirects"]
    assert routes["headers"] == [] and len(theirs["headers"]) == 1  # the CORS fix


def test_a_real_world_next_config_names_everything_it_cannot_carry(
    tmp_path: Path, tools_env: dict[str, str]
) -> None:
    shutil.copy(FIXTURES / "import" / "next" / "next.config.mjs", tmp_path / "next.config.mjs")
    env = {**tools_env, "DATABASE_URL": f"postgres://u:{CANARY}@db.example.com/shop"}
    args = (
        "import",
        "next.config.mjs",
        "--env",
        "production",
        "--project",
        "shop",
        "--plan",
        "pro",
        "--next-version",
        "16.4",
    )
    result = run_cli(*args, "--passthrough", cwd=tmp_path, env=env)
    assert result.code == 1, result.err
    assert result.out.splitlines() == [
        "next.config.mjs:17: images.deviceSizes: not carried over: not modelled; left out",
        "next.config.mjs:21: logging: kept verbatim: not modelled",
        "next.config.mjs:22: webpack: not carried over: not modelled: a function, which is "
        "code, not data; left out",
        "next.config.mjs:32: rewrites.beforeFiles: not carried over: 1 rewrite(s) run "
        "beforeFiles; the model has one list, which Next.js runs after files",
        "next.config.mjs:32: rewrites[0]: not carried over: built from API_ORIGIN at build "
        "time; meterr-config renders literal values: write this rewrite in each "
        "environment's file",
        f"wrote {Path('environments') / 'production.toml'}",
        "0 fixed, 1 kept verbatim, 4 not carried over.",
    ]
    written = (tmp_path / "environments" / "production.toml").read_text()
    assert CANARY not in written + result.out + result.err
    model = Loader(tmp_path / "environments").load("production").model
    assert model.nextjs.base_path == "/shop"
    database_url = model.nextjs.env["DATABASE_URL"]
    assert isinstance(database_url, FromEnv)  # read at build time, never a literal
    assert database_url.model_dump() == {"from_env": "DATABASE_URL"}
    assert model.nextjs.passthrough == {"logging": {"fetches": {"fullUrl": True}}}
    assert model.security.layer == "next" and model.security.source == "/:path*"
    assert [r.source for r in model.nextjs.redirects] == ["/old/:slug"]  # basePath taken off
    assert [r.source for r in model.nextjs.rewrites] == ["/feed"]


def test_next_config_loads_in_place_as_next_build_would(
    tmp_path: Path, tools_env: dict[str, str]
) -> None:
    """Its own imports resolve, NODE_ENV is production, process.env spreads are not ours,
    i18n is refused whole, and a secret in Next's error message is redacted."""
    plugin = tmp_path / "node_modules" / "with-x"
    plugin.mkdir(parents=True)
    (plugin / "index.js").write_text("module.exports = (c) => ({ ...c, compress: false });\n")
    (tmp_path / "site.js").write_text('module.exports = { site: "shop" };\n')
    (tmp_path / "next.config.js").write_text(
        "const withX = require('with-x');\n"
        "const { site } = require('./site');\n"
        "module.exports = withX({\n"
        "  reactStrictMode: process.env.NODE_ENV === 'production',\n"
        "  env: { SITE: site, ...process.env },\n"
        "});\n"
    )
    args = ("import", "next.config.js", "--env", "production", "--out", "-", "--plan", "pro")
    result = run_cli(*args, "--project", "p", "--next-version", "16.4", cwd=tmp_path, env=tools_env)
    assert result.code == 1, result.err
    assert "react_strict_mode = true" in result.out and "compress = false" in result.out
    assert 'SITE = "shop"' in result.out and "HOME" not in result.out
    assert "next.config.js:5: env: not carried over: spreads process.env:" in result.err

    (tmp_path / "next.config.js").write_text(
        "module.exports = { i18n: { locales: ['en', 'de'], defaultLocale: 'en' },\n"
        "  async redirects() {\n"
        "    return [{ source: '/old', destination: '/new', permanent: true }] } };\n"
    )
    result = run_cli(*args, "--project", "p", "--next-version", "16.4", cwd=tmp_path, env=tools_env)
    assert result.code == 1
    assert [
        line.split(": ")[1] for line in result.err.splitlines() if ": not carried over:" in line
    ] == [
        "i18n",
        "redirects",
    ]

    (tmp_path / "next.config.js").write_text(
        "module.exports = { async redirects() { return [{ source: '/a',\n"
        f"  destination: 'https://u:{CANARY}@x.com', permanent: 'yes' }}] }} }};\n"
    )
    result = run_cli(*args, "--project", "p", "--next-version", "16.4", cwd=tmp_path, env=tools_env)
    assert result.code == 2
    assert result.err.startswith("meterr-config: error: next.config.js: Next.js could not load it")
    assert CANARY not in result.err + result.out


def test_differing_security_headers_in_next_config_are_kept_as_its_first_rule(
    tmp_path: Path, tools_env: dict[str, str]
) -> None:
    rule = {"source": "/(.*)", "headers": [{"key": "X-Frame-Options", "value": "DENY"}]}
    (tmp_path / "vercel.json").write_text(json.dumps({"headers": [rule]}))
    (tmp_path / "next.config.mjs").write_text(
        "export default { async headers() { return [\n"
        "  { source: '/(.*)', headers: [{ key: 'X-Frame-Options', value: 'SAMEORIGIN' }] },\n"
        "] } };\n"
    )
    args = ("import", "vercel.json", "next.config.mjs", "--env", "production", "--plan", "pro")
    result = run_cli(*args, "--project", "p", "--next-version", "16.4", cwd=tmp_path, env=tools_env)
    assert result.code == 0, result.out + result.err
    model = Loader(tmp_path / "environments").load("production").model
    assert (model.security.layer, model.security.headers) == ("vercel", {"X-Frame-Options": "DENY"})
    assert [r.headers for r in model.nextjs.headers] == [{"X-Frame-Options": "SAMEORIGIN"}]


def test_import_names_what_next_dev_reads_otherwise_and_applies_next_own_moves(
    tmp_path: Path, tools_env: dict[str, str]
) -> None:
    """A NODE_ENV branch is carried as `next build` reads it and named; a key moved to a
    nested place (compiler.relay) is kept there; images.domains becomes remotePatterns;
    a key Next no longer needs is left out as a fix (Next ignores it)."""
    (tmp_path / "next.config.js").write_text(
        "const dev = process.env.NODE_ENV !== 'production';\n"
        "module.exports = {\n"
        "  reactStrictMode: !dev,\n"
        "  images: { domains: ['cdn.example.com'] },\n"
        "  experimental: { after: true, relay: { src: './src' } },\n"
        "  async redirects() { return dev ? [] : [{ source: '/a', destination: '/b', "
        "permanent: true }] },\n"
        "};\n"
    )
    args = ("import", "next.config.js", "--env", "production", "--out", "-", "--plan", "pro")
    result = run_cli(
        *args,
        "--project",
        "p",
        "--next-version",
        "16.4",
        "--passthrough",
        cwd=tmp_path,
        env=tools_env,
    )
    assert result.code == 1, result.err
    assert result.err.splitlines() == [
        "next.config.js:4: images.domains: fixed: deprecated since Next.js 14; carried as "
        "remotePatterns with only `hostname`, which allow the same URLs",
        "next.config.js:5: experimental.after: fixed: no longer needed (`after` is available "
        "by default since Next.js 15.1); left out",
        "next.config.js:5: experimental.relay: kept verbatim: renamed to 'compiler.relay' in "
        "Next.js 13.5; kept as compiler.relay",
        "next.config.js:3: reactStrictMode: not carried over: `next dev` reads another value "
        "(NODE_ENV=development); carried as `next build` reads it",
        "next.config.js:6: redirects: not carried over: `next dev` reads another value "
        "(NODE_ENV=development); carried as `next build` reads it",
        "2 fixed, 1 kept verbatim, 2 not carried over.",
    ]
    assert "react_strict_mode = true" in result.out
    assert 'hostname = "cdn.example.com"' in result.out
    assert "[nextjs.passthrough.compiler.relay]" in result.out
