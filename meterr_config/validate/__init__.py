"""Validate rendered artifacts with the rules of the tools that consume them."""

from __future__ import annotations

import re

from meterr_config.findings import Finding, Severity
from meterr_config.keypath import KeyPath, format_path
from meterr_config.loading import LoadedEnvironment
from meterr_config.render.next_config import config_object, route_functions
from meterr_config.render.routes import generated_header_rules
from meterr_config.render.vercel_json import vercel_document
from meterr_config.validate.nextjs import next_problems
from meterr_config.validate.vercel import Problem, vercel_problems

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def snake(name: str | int) -> str | int:
    """camelCase artifact key -> snake_case model key."""
    return _CAMEL.sub("_", name).lower() if isinstance(name, str) else name


def model_path(loaded: LoadedEnvironment, section: str, path: KeyPath) -> KeyPath:
    """Where in the environment files an artifact key comes from.

    Generated header rules (security, then CORS) come first in the `headers` array, so
    indexes past them map back to the section's own `headers` list.
    """
    if not path:
        return ("project", "next_version") if section == "nextjs" else (section,)
    head, *rest = path
    if head == "headers" and rest and isinstance(rest[0], int):
        generated = generated_header_rules(
            loaded.model, "vercel" if section == "vercel" else "next"
        )
        if rest[0] < len(generated):
            origin, rule = generated[rest[0]]
            if origin == ("security", "headers") and len(rest) > 2 and isinstance(rest[2], int):
                return (*origin, rule["headers"][rest[2]]["key"])  # the header's own line
            return origin
        return (section, "headers", rest[0] - len(generated), *map(snake, rest[1:]))
    if head in ("functions", "env", "experimental"):
        return (section, head, *rest[:1], *map(snake, rest[1:]))
    return (section, snake(head), *map(snake, rest))


def _findings(
    loaded: LoadedEnvironment, artifact: str, section: str, problems: list[Problem]
) -> list[Finding]:
    return [
        Finding(
            rule=rule,
            severity=Severity(severity),
            message=message,
            environment=loaded.name,
            artifact=artifact,
            key=format_path(path) or None,
            location=loaded.locate(model_path(loaded, section, path)),
        )
        for rule, severity, path, message in problems
    ]


def validate_environment(loaded: LoadedEnvironment) -> list[Finding]:
    """Findings for this environment's vercel.json and next.config.ts."""
    env = loaded.model
    vercel = vercel_problems(vercel_document(env))
    routes = route_functions(env)
    nextjs = next_problems(config_object(env), routes, env.project.next_version, "next.config.ts")
    findings = _findings(loaded, "vercel.json", "vercel", vercel)
    findings += _findings(loaded, "next.config.ts", "nextjs", nextjs)
    return sorted(findings, key=Finding.sort_key)
