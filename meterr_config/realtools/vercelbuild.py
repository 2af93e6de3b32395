"""`validate --with-vercel`: run the real `vercel build` offline on a throwaway app.

The Vercel CLI validates vercel.json with its schema, compiles the routes and runs
`next build`; `.vercel/output/config.json` then holds the crons Vercel would register.
Offline recipe (measured with vercel@58.10.0): a hand-written `.vercel/project.json` with
install command `true`, a `-Q` global config folder with a stub `auth.json` and telemetry
off, and a real node_modules inside the app (Turbopack does not follow one outside it),
made here with hard links so it costs a fraction of a second.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from meterr_config.findings import Finding, Severity
from meterr_config.keypath import KeyPath, format_path
from meterr_config.load import LoadedEnvironment
from meterr_config.realtools.nextcheck import clean
from meterr_config.realtools.scaffold import scaffold
from meterr_config.realtools.tools import Tools
from meterr_config.render.origin import model_path

BUILD_TIMEOUT = 600.0
PROJECT = {
    "projectId": "meterr-config-probe",
    "orgId": "offline",
    "settings": {"framework": "nextjs", "installCommand": "true"},
}
_KEY = re.compile(r"`([A-Za-z$][\w$]*(?:\[\d+\]|\.[\w$]+)*)`")
_ERROR = re.compile(r"^(?:Error|Build error occurred|Type error|Failed to compile).*", re.M)


def _link_tree(source: Path, target: Path) -> None:
    """Copy a tree as hard links (same file system), or as a real copy otherwise."""
    try:
        shutil.copytree(source, target, symlinks=True, copy_function=os.link)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, symlinks=True)


def _global_config(folder: Path) -> Path:
    folder.mkdir()
    (folder / "auth.json").write_text(json.dumps({"userId": "offline"}))
    (folder / "config.json").write_text(json.dumps({"telemetry": {"enabled": False}}))
    return folder


def prepare(
    work: Path, loaded: LoadedEnvironment, artifacts: dict[str, bytes], tools: Tools
) -> Path:
    """Lay out the throwaway app in `work` and return its folder."""
    app = work / "app"
    app.mkdir()
    scaffold(app, loaded.model, artifacts)
    (app / ".vercel").mkdir()
    (app / ".vercel" / "project.json").write_text(json.dumps(PROJECT))
    _link_tree(tools.root / "node_modules", app / "node_modules")
    return app


def vercel_key(message: str) -> KeyPath:
    """The vercel.json key a CLI error names: "`crons[0].path` should..." -> (crons, 0, path)."""
    match = _KEY.search(message)
    if match is None:
        return ()
    parts = re.findall(r"[^.\[\]]+", match.group(1))
    return tuple(int(p) if p.isdigit() else p for p in parts)


def _finding(loaded: LoadedEnvironment, rule: str, message: str, path: KeyPath) -> Finding:
    location = loaded.locate(model_path(loaded, "vercel", path))
    key = format_path(path) or None
    return Finding(rule, Severity.ERROR, message, loaded.name, "vercel.json", key, location)


def _cron_findings(loaded: LoadedEnvironment, output: dict[str, Any]) -> list[Finding]:
    built = [{"path": c["path"], "schedule": c["schedule"]} for c in output.get("crons", [])]
    wanted = [{"path": c.path, "schedule": c.schedule} for c in loaded.model.vercel.crons]
    if built == wanted:
        return []
    message = f"vercel build registered crons {built}, the model declares {wanted}"
    return [_finding(loaded, "VER102", message, ("crons",))]


def check_vercel(
    loaded: LoadedEnvironment, artifacts: dict[str, bytes], tools: Tools
) -> list[Finding]:
    """Build this environment with the real Vercel CLI; report its errors and the crons."""
    # Inside the tools folder, so the node_modules hard links stay on one file system.
    with tempfile.TemporaryDirectory(prefix=".meterr-vercel-", dir=tools.root) as folder:
        work = Path(folder)
        app = prepare(work, loaded, artifacts, tools)
        config = _global_config(work / "global")
        result = tools.run(
            [str(tools.bin("vercel")), "build", "--yes", "-Q", str(config)],
            app,
            timeout=BUILD_TIMEOUT,
        )
        if result.returncode != 0:
            text = clean(" ".join(_ERROR.findall(result.stderr + "\n" + result.stdout)))
            detail = text or clean(result.stderr)[-400:] or f"exit code {result.returncode}"
            message = f"vercel build failed: {detail}"
            return [_finding(loaded, "VER101", message, vercel_key(detail))]
        output = json.loads((app / ".vercel" / "output" / "config.json").read_text())
        return _cron_findings(loaded, output)
