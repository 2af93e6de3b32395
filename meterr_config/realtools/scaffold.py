"""A throwaway Next.js app around the generated config, just big enough to build.

`next build` fails when a `functions` glob matches no file, so every glob and every cron
path gets a route handler, plus /api/health, which the end-to-end test requests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from meterr_config.models import Environment

LAYOUT = """export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
"""
PAGE = "export default function Page() {\n  return <main>meterr-config probe</main>;\n}\n"
ROUTE = 'export function GET(): Response {\n  return Response.json({ status: "healthy" });\n}\n'


def glob_example(glob: str) -> str:
    """A concrete file a function glob matches, e.g. app/api/**/*.ts -> app/api/probe/route.ts."""
    path = re.sub(r"\*\*/?", "probe/", glob)
    path = re.sub(r"\[[^\]]*\]|\{[^}]*\}|\?", "x", path).replace("*", "route")
    return re.sub(r"/+", "/", path)


def route_files(env: Environment) -> list[str]:
    """Route handler files the app needs, sorted."""
    files = {"app/api/health/route.ts"}
    files |= {f"app{cron.path.split('?')[0].rstrip('/')}/route.ts" for cron in env.vercel.crons}
    files |= {glob_example(glob) for glob in env.vercel.functions}
    return sorted(files)


def scaffold(folder: Path, env: Environment, artifacts: dict[str, bytes]) -> None:
    """Write the app, the generated next.config.ts and vercel.json into `folder`."""
    # No "type" key: npm's default "commonjs" breaks a Turbopack build.
    package = {"name": "meterr-config-probe", "private": True, "scripts": {"build": "next build"}}
    files = {
        "package.json": json.dumps(package, indent=2) + "\n",
        "app/layout.tsx": LAYOUT,
        "app/page.tsx": PAGE,
        **dict.fromkeys(route_files(env), ROUTE),
    }
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text)
    for name in ("next.config.ts", "vercel.json"):
        (folder / name).write_bytes(artifacts[name])
