"""Validate rendered artifacts with the rules of the tools that consume them."""

from __future__ import annotations

from meterr_config.findings import Finding, Severity
from meterr_config.keypath import format_path
from meterr_config.load import LoadedEnvironment
from meterr_config.render.next_config import config_object, route_functions
from meterr_config.render.origin import model_path
from meterr_config.render.vercel_json import vercel_document
from meterr_config.validate.nextjs import next_problems
from meterr_config.validate.vercel import Problem, vercel_problems


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
