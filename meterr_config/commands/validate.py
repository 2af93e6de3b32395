"""`meterr-config validate`: rendered artifacts against Vercel's schema and Next.js's rules.

With --with-next and --with-vercel it also runs the real tools, which need Node.js and a
node_modules folder holding `next` (and `vercel`); without them it needs neither.
"""

from __future__ import annotations

import sys
from pathlib import Path

from meterr_config.commands.common import load, reporter
from meterr_config.findings import Finding, Severity
from meterr_config.formats import EXIT_CLEAN, EXIT_FINDINGS
from meterr_config.lint.deploy import deploy_findings
from meterr_config.load import LoadedEnvironment
from meterr_config.render import render
from meterr_config.verbosity import say, working


def _real_tools(
    loaded: list[LoadedEnvironment], with_next: bool, with_vercel: bool, tools_dir: Path | None
) -> list[Finding]:
    # Imported here: plain `validate` must not pay for (or need) the real-tool code.
    from meterr_config.realtools.nextcheck import check_next
    from meterr_config.realtools.tools import find_tools
    from meterr_config.realtools.vercelbuild import check_vercel

    packages = ("next", "vercel") if with_vercel else ("next",)
    tools = find_tools(tools_dir, packages)
    findings: list[Finding] = []
    for env in loaded:
        artifacts = render(env)
        if with_next:
            findings += check_next(env, artifacts, tools)
        if with_vercel:
            message = f"vercel build: {env.name} (about 30 s)…"
            if not sys.stderr.isatty():  # a log gets a line; a terminal, a spinner
                say(message, sys.stderr)
            with working(message):
                findings += check_vercel(env, artifacts, tools)
    return findings


def run(
    environments: Path,
    names: list[str] | None,
    fmt: str,
    *,
    with_next: bool = False,
    with_vercel: bool = False,
    tools_dir: Path | None = None,
) -> int:
    """Exit 1 when any artifact has an error, by our rules or the real tools'."""
    loaded = load(environments, names)
    findings = [f for env in loaded for f in deploy_findings(env)]
    if with_next or with_vercel:
        findings += _real_tools(loaded, with_next, with_vercel, tools_dir)
    findings.sort(key=Finding.sort_key)
    reporter(fmt).findings("validate", findings, [env.name for env in loaded])
    failed = any(f.severity == Severity.ERROR for f in findings)
    return EXIT_FINDINGS if failed else EXIT_CLEAN
