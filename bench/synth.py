"""A synthetic monorepo for the scale benchmark: N environments of realistic bulk.

Each environment has 300 variables (a sixth of them secrets), 200 header rules, 100
redirects, 20 crons and 10 function globs, and extends one shared base. As in a real
project, the environments share variable names and paths; their values differ.
Usage: python bench/synth.py N DIR   (writes DIR/environments/)
"""

from __future__ import annotations

import sys
from pathlib import Path

import tomli_w

BASE = {
    "abstract": True,
    "project": {"name": "mono", "plan": "enterprise", "next_version": "16.4"},
    "vercel": {"framework": "nextjs", "regions": ["iad1"]},
    "security": {
        "headers": {
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
            "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
            "Permissions-Policy": "camera=()",
        }
    },
    "nextjs": {"powered_by_header": False},
    "env": {"CRON_SECRET": {"secret": True, "format": "random", "min_length": 32}},
}


def environment(index: int) -> dict[str, object]:
    """Environment `index`: every rule and variable name is its own."""
    env: dict[str, object] = {}
    for n in range(300):
        name = f"SERVICE_{n}"
        if n % 6 == 0:
            env[name + "_TOKEN"] = {"secret": True, "format": "random", "min_length": 32}
        else:
            env[name] = f"https://svc{n}.app{index}.example.com"
    return {
        "extends": "base",
        "target": "preview",
        "vercel": {
            "functions": {f"app/api/f{n}/**/*.ts": {"max_duration": 30} for n in range(10)},
            "crons": [{"path": f"/api/cron/job{n}", "schedule": f"{n} 3 * * *"} for n in range(20)],
            "redirects": [
                {
                    "source": f"/old/{n}/:slug*",
                    "destination": f"/new/{index}/{n}/:slug*",
                    "permanent": n % 2 == 0,
                }
                for n in range(100)
            ],
            "headers": [
                {
                    "source": f"/assets/{n}/(.*)",
                    "headers": {
                        "Cache-Control": f"public, max-age={60 * (n + 1)}",
                        "X-Asset": str(n),
                    },
                }
                for n in range(200)
            ],
        },
        "env": env,
    }


def generate(root: Path, count: int) -> list[str]:
    """Write `count` environments (plus the base) under root/environments; their names."""
    folder = root / "environments"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "base.toml").write_bytes(tomli_w.dumps(BASE).encode())
    names = [f"app-{index:04d}" for index in range(count)]
    for index, name in enumerate(names):
        (folder / f"{name}.toml").write_bytes(tomli_w.dumps(environment(index)).encode())
    return names


if __name__ == "__main__":
    generate(Path(sys.argv[2]), int(sys.argv[1]))
