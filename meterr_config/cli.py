"""The command line: a thin typer layer over `meterr_config.commands`.

Exit codes for every command: 0 clean, 1 findings or drift, 2 bad usage or bad input.
Bad input is reported on one line on stderr, never as a traceback.

No `from __future__ import annotations` here: typer reads the parameters' annotations on
every start, and as strings it would compile and evaluate each one again (about 5 ms).
"""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

import typer

from meterr_config import __version__, console
from meterr_config.errors import printable
from meterr_config.formats import EXIT_BAD_INPUT, FormatName
from meterr_config.sources import registry

app = typer.Typer(
    name="meterr-config",
    help="Configuration as code for Next.js on Vercel: render, validate and drift-check.",
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=True,
)


def _folder(ctx: typer.Context) -> Path:
    return Path(ctx.params.get("environments") or "environments")


def _environment_names(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the environments in --environments (default ./environments)."""
    return registry.environment_names(incomplete, _folder(ctx))


def _sources(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for a SOURCE, from the source registry."""
    return registry.complete(incomplete, _folder(ctx))


EnvOption = Annotated[
    list[str] | None,
    typer.Option(
        "--env",
        "-e",
        metavar="NAME",
        help="Environment name (repeatable). Default: every one.",
        autocompletion=_environment_names,
    ),
]
EnvironmentsOption = Annotated[
    Path, typer.Option("--environments", help="Folder of environment files.")
]
OutOption = Annotated[
    Path, typer.Option("--out", help="Output root holding one folder per environment.")
]
ToolsOption = Annotated[
    Path | None,
    typer.Option(
        "--tools",
        help="Folder whose node_modules has next (and vercel) "
        "(default: $METERR_CONFIG_TOOLS, else the current folder or a parent).",
    ),
]
FormatOption = Annotated[FormatName, typer.Option("--format", "-f", help="Output format.")]


ValuesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--values",
        metavar="[ENV=]SOURCE",
        help=f"Secret values: {registry.values_help()} (repeatable); never the values themselves.",
    ),
]


def _finish(command: Callable[[], int], fmt: str = "text") -> None:
    """Run a command (`console.finish`: bad input is one line and exit 2) and exit."""
    raise typer.Exit(console.finish(command, fmt))


@app.command()
def render(
    env: EnvOption = None,
    environments: EnvironmentsOption = Path("environments"),
    out: OutOption = Path("generated"),
) -> None:
    """Render vercel.json, next.config.ts, env.manifest.json and .env.example."""
    from meterr_config.commands import render as command

    _finish(lambda: command.run(environments, env, out))


@app.command()
def check(
    env: EnvOption = None,
    environments: EnvironmentsOption = Path("environments"),
    out: OutOption = Path("generated"),
    fmt: FormatOption = "text",
) -> None:
    """Fail (exit 1) when the files on disk differ from what the models render."""
    from meterr_config.commands import check as command

    _finish(lambda: command.run(environments, env, out, fmt), fmt)


@app.command()
def validate(
    env: EnvOption = None,
    environments: EnvironmentsOption = Path("environments"),
    fmt: FormatOption = "text",
    with_next: Annotated[
        bool, typer.Option("--with-next", help="Also load next.config.ts with the real Next.js.")
    ] = False,
    with_vercel: Annotated[
        bool, typer.Option("--with-vercel", help="Also run the real `vercel build` (offline).")
    ] = False,
    tools: ToolsOption = None,
) -> None:
    """Validate rendered artifacts against the Vercel schema and the Next.js key rules."""
    from meterr_config.commands import validate as command

    _finish(
        lambda: command.run(
            environments, env, fmt, with_next=with_next, with_vercel=with_vercel, tools_dir=tools
        ),
        fmt,
    )


@app.command(epilog=registry.epilog(guided=False))
def lint(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[SOURCE]...",
            help=f"{registry.sources_help(guided=False)}. Default: every environment.",
            autocompletion=_sources,
        ),
    ] = None,
    env: EnvOption = None,
    environments: EnvironmentsOption = Path("environments"),
    values: ValuesOption = None,
    fmt: FormatOption = "text",
    fail_on: Annotated[
        Literal["error", "warning", "never"],
        typer.Option("--fail-on", help="Lowest severity that makes the exit code 1."),
    ] = "error",
    plan: Annotated[
        Literal["hobby", "pro", "enterprise"] | None,
        typer.Option("--plan", help="Vercel plan, for dir: sources."),
    ] = None,
    next_version: Annotated[
        str | None, typer.Option("--next-version", help="Next.js version, for dir: sources.")
    ] = None,
    target: Annotated[
        str,
        typer.Option("--target", help="Environment kind of dir: sources (development relaxes)."),
    ] = "production",
    tools: ToolsOption = None,
    score: Annotated[
        bool,
        typer.Option("--score", help="Also predict the MDN HTTP Observatory score and grade."),
    ] = False,
) -> None:
    """Lint secrets, CORS, security headers, crons, functions, regions and Next.js keys."""
    from meterr_config.commands import lint as command

    _finish(
        lambda: command.run(
            sources or [],
            environments,
            env,
            values or [],
            fmt,
            fail_on,
            target=target,
            plan=plan,
            next_version=next_version,
            tools=tools,
            score=score,
        ),
        fmt,
    )


@app.command(epilog=registry.epilog())
def diff(
    left: Annotated[
        str,
        typer.Argument(
            metavar="LEFT",
            help=f"{registry.sources_help()}.",
            autocompletion=_sources,
        ),
    ],
    right: Annotated[
        str,
        typer.Argument(
            metavar="RIGHT", help="The state to compare with LEFT.", autocompletion=_sources
        ),
    ],
    environments: EnvironmentsOption = Path("environments"),
    fmt: FormatOption = "text",
    strict: Annotated[
        bool, typer.Option("--strict", help="Count expected differences too (exit 1 on any).")
    ] = False,
    side_by_side: Annotated[
        bool, typer.Option("--side-by-side", help="Text format: a two-column table.")
    ] = False,
    show_secrets: Annotated[
        bool,
        typer.Option(
            "--show-secrets",
            help="Show values hidden only for their variable's name (DATABASE_URL=…localhost). "
            "Declared secrets and secret-shaped values stay redacted.",
        ),
    ] = False,
    tools: ToolsOption = None,
    served_by: Annotated[
        Literal["vercel", "next"],
        typer.Option(
            "--served-by",
            help="For url: sources: a Vercel deployment applies vercel.json and next.config "
            "headers; `next start` applies next.config only.",
        ),
    ] = "vercel",
    decrypt: Annotated[
        bool,
        typer.Option(
            "--decrypt",
            help="For vercel: sources: also read each encrypted value, one request per "
            "variable, and compare it by digest (never shown or kept). Sensitive values "
            "cannot be read.",
        ),
    ] = False,
    values: Annotated[
        list[str] | None,
        typer.Option(
            "--values",
            metavar="[ENV=]SOURCE",
            help=f"For db: sources: where ENV's DATABASE_URL comes from: {registry.values_help()} "
            "(repeatable); never the value itself.",
        ),
    ] = None,
) -> None:
    """Show what differs between two states: staging vs production, models vs files."""
    from meterr_config.commands import diff as command

    _finish(
        lambda: command.run(
            left,
            right,
            environments,
            fmt,
            strict=strict,
            side_by_side=side_by_side,
            show_secrets=show_secrets,
            tools=tools,
            served_by=served_by,
            decrypt=decrypt,
            values=values,
        ),
        fmt,
    )


PruneOption = Annotated[
    bool,
    typer.Option("--prune", help="Also delete managed targets' variables the models lack."),
]
EnvNames = Annotated[
    list[str],
    typer.Argument(
        metavar="ENV...", help="Environments to plan.", autocompletion=_environment_names
    ),
]


@app.command()
def plan(
    names: EnvNames,
    values: ValuesOption = None,
    environments: EnvironmentsOption = Path("environments"),
    prune: PruneOption = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Save the plan (no values; mode 0600) for `apply FILE`."),
    ] = None,
    fmt: FormatOption = "text",
) -> None:
    """Show what apply would change on Vercel: exit 0 none, 1 changes pending."""
    from meterr_config.commands import plan as command

    _finish(lambda: command.run(names, environments, values or [], fmt, prune=prune, out=out), fmt)


@app.command()
def apply(
    targets: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE | ENV...",
            help="A plan saved with `plan --out`, or environments to plan and apply.",
            autocompletion=_environment_names,
        ),
    ],
    values: ValuesOption = None,
    environments: EnvironmentsOption = Path("environments"),
    yes: Annotated[
        bool, typer.Option("--yes", help="Apply without asking (needed with no terminal).")
    ] = False,
    confirm: Annotated[
        str | None,
        typer.Option(
            "--confirm",
            metavar="production",
            help="Needed, with no terminal, for a plan that writes to production.",
        ),
    ] = None,
    prune: PruneOption = False,
    allow_replace: Annotated[
        bool,
        typer.Option(
            "--allow-replace",
            help="Apply changes that need a delete and a create (a gap without a value).",
        ),
    ] = False,
    redeploy: Annotated[
        bool,
        typer.Option("--redeploy", help="Then redeploy what serves each target changed."),
    ] = False,
    fmt: FormatOption = "text",
) -> None:
    """Make Vercel's variables match the models: exit 0 done, 3 partly applied."""
    from meterr_config.commands import apply as command

    _finish(
        lambda: command.run(
            targets,
            environments,
            values or [],
            fmt,
            yes=yes,
            confirm=confirm,
            prune=prune,
            allow_replace=allow_replace,
            redeploy=redeploy,
        ),
        fmt,
    )


@app.command()
def status(
    names: EnvNames,
    environments: EnvironmentsOption = Path("environments"),
    fmt: FormatOption = "text",
) -> None:
    """List variables the serving deployment lacks, and changes made outside."""
    from meterr_config.commands import status as command

    _finish(lambda: command.run(names, environments, fmt), fmt)


flags_app = typer.Typer(
    help="Runtime flags in each environment's own PostgreSQL: plan, apply, schema.",
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)
app.add_typer(flags_app, name="flags")


def _group_help(ctx: typer.Context) -> None:
    """A command group named without its command: its help, and exit 2 (as the root)."""
    if ctx.invoked_subcommand is None:
        print(ctx.get_help())
        raise typer.Exit(EXIT_BAD_INPUT)


flags_app.callback()(_group_help)
DbValuesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--values",
        metavar="[ENV=]SOURCE",
        help=f"Where each ENV's DATABASE_URL comes from: {registry.values_help()} "
        "(repeatable); never the value itself.",
    ),
]
FlagPruneOption = Annotated[
    bool,
    typer.Option("--prune", help="Also delete rows the models lack (never one users override)."),
]


@flags_app.command("plan")
def flags_plan(
    names: EnvNames,
    values: DbValuesOption = None,
    environments: EnvironmentsOption = Path("environments"),
    prune: FlagPruneOption = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Save the plan (mode 0600) for `flags apply FILE`."),
    ] = None,
    fmt: FormatOption = "text",
) -> None:
    """Show what flags apply would change in each feature_flags table: exit 0 none, 1
    changes pending."""
    from meterr_config.commands import flags as command

    _finish(
        lambda: command.plan_run(names, environments, values or [], fmt, prune=prune, out=out),
        fmt,
    )


@flags_app.command("apply")
def flags_apply(
    targets: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE | ENV...",
            help="A plan saved with `flags plan --out`, or environments to plan and apply.",
            autocompletion=_environment_names,
        ),
    ],
    values: DbValuesOption = None,
    environments: EnvironmentsOption = Path("environments"),
    yes: Annotated[
        bool, typer.Option("--yes", help="Apply without asking (needed with no terminal).")
    ] = False,
    confirm: Annotated[
        str | None,
        typer.Option(
            "--confirm",
            metavar="production",
            help="Needed, with no terminal, for a plan that writes to production.",
        ),
    ] = None,
    prune: FlagPruneOption = False,
    fmt: FormatOption = "text",
) -> None:
    """Make each feature_flags table match the models, one transaction per database:
    exit 0 done, 3 partly applied."""
    from meterr_config.commands import flags as command

    _finish(
        lambda: command.apply_run(
            targets, environments, values or [], fmt, yes=yes, confirm=confirm, prune=prune
        ),
        fmt,
    )


schema_app = typer.Typer(
    help="The flag tables: checked against what the app's service needs, never migrated.",
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)
flags_app.add_typer(schema_app, name="schema")
schema_app.callback()(_group_help)


@schema_app.command("check")
def flags_schema_check(
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="db:ENV...", help="The databases to check.", autocompletion=_sources
        ),
    ],
    values: DbValuesOption = None,
    environments: EnvironmentsOption = Path("environments"),
    fmt: FormatOption = "text",
) -> None:
    """Name each gap between the live flag tables and what the service needs: exit 1 on
    one it fails on."""
    from meterr_config.commands import flags as command

    _finish(lambda: command.schema_check(sources, environments, values or [], fmt), fmt)


@schema_app.command("emit")
def flags_schema_emit(
    knex: Annotated[bool, typer.Option("--knex", help="As a knex migration (CommonJS).")] = False,
) -> None:
    """Print an additive migration for the flag tables (never a drop) to commit."""
    from meterr_config.commands import flags as command

    _finish(lambda: command.schema_emit(knex))


@app.command()
def init(
    environments: EnvironmentsOption = Path("environments"),
    out: OutOption = Path("generated"),
    plan: Annotated[
        Literal["hobby", "pro", "enterprise"] | None,
        typer.Option("--plan", help="Vercel plan (default: pro, or what import infers)."),
    ] = None,
    tools: ToolsOption = None,
) -> None:
    """Set up a project: import the vercel.json, next.config and .env.example here, or
    write a base, development, staging and production skeleton; then render."""
    from meterr_config.commands import init as command

    _finish(lambda: command.run(environments, out, plan, tools))


@app.command("import")
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE",
            help="vercel.json (*.json), next.config.(ts|mjs|js) and .env files.",
        ),
    ],
    env: Annotated[str, typer.Option("--env", "-e", metavar="NAME", help="Environment name.")],
    extends: Annotated[
        str | None,
        typer.Option(
            "--extends", metavar="PARENT", help="Write only what differs from this environment."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write it (default <environments>/NAME.toml); '-'."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    passthrough: Annotated[
        bool,
        typer.Option(
            "--passthrough", help="Keep unmodelled and legacy keys verbatim, rendered unchanged."
        ),
    ] = False,
    project: Annotated[
        str | None, typer.Option("--project", help="Project name (default: the folder's).")
    ] = None,
    plan: Annotated[
        Literal["hobby", "pro", "enterprise"] | None,
        typer.Option("--plan", help="Vercel plan (default: the smallest that fits)."),
    ] = None,
    next_version: Annotated[
        str | None,
        typer.Option(
            "--next-version", help="Next.js version (default: the parent's, else package.json's)."
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option("--target", help="Vercel target (default: NAME if built in, else preview)."),
    ] = None,
    environments: EnvironmentsOption = Path("environments"),
    tools: ToolsOption = None,
) -> None:
    """Import an existing vercel.json, next.config and .env files as an environment file."""
    from meterr_config.commands import import_ as command
    from meterr_config.importer.build import Options

    options = Options(
        name=env,
        extends=extends,
        passthrough=passthrough,
        project=project,
        plan=plan,
        next_version=next_version,
        target=target,
        environments=environments,
    )
    _finish(lambda: command.run(files, options, out, force, tools))


@app.command()
def rules(
    rule_id: Annotated[str | None, typer.Argument(metavar="[RULE_ID]")] = None,
    fmt: Annotated[
        Literal["text", "markdown"], typer.Option("--format", "-f", help="Output format.")
    ] = "text",
) -> None:
    """List the lint rules, or explain one (its docstring: what, why, example, fix)."""
    from meterr_config.commands import rules as command

    _finish(lambda: command.run(rule_id, fmt))


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", help="Where to write it; '-' for stdout.")] = Path(
        "schemas/environment.schema.json"
    ),
) -> None:
    """Export the JSON Schema of environment files (for editors and taplo)."""
    from meterr_config.commands import schema as command

    _finish(lambda: command.run(out))


def _version(value: bool) -> None:
    if value:
        print(f"meterr-config {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Only what needs attention: no summaries, notes or infos."
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Also say what was read and how long it took."),
    ] = False,
) -> None:
    """Configuration as code for Next.js on Vercel."""
    from meterr_config import verbosity

    verbosity.set_level(verbosity.QUIET if quiet else verbosity.VERBOSE if verbose else 0)
    if ctx.invoked_subcommand is None:
        print(ctx.get_help())
        raise typer.Exit(EXIT_BAD_INPUT)


def main() -> None:
    """Console-script entry point: usage errors, like input errors, are one line and exit 2."""
    console.serve(_run)


def _run() -> int:
    """The app's exit code; a usage error is one line (`console.guard` does the rest)."""
    try:
        code = app(prog_name="meterr-config", standalone_mode=False)
    except typer.Abort:
        code = 130
    except typer.TyperException as exc:  # usage errors: unknown option, bad --format value…
        message = printable(" ".join(str(getattr(exc, "format_message", exc.__str__)()).split(" ")))
        message = message.replace("Value error, ", "")
        print(f"meterr-config: error: {message}", file=sys.stderr)
        code = int(getattr(exc, "exit_code", EXIT_BAD_INPUT))
    return code if isinstance(code, int) else 0
