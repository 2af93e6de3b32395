"""Record what mdn/mdn-http-observatory main (algorithm 6) says on generated header sets.

Usage: python bench/observatory/record.py UPSTREAM_CHECKOUT
UPSTREAM_CHECKOUT is a checkout of mdn/mdn-http-observatory main with its npm dependencies
installed (`npm install --ignore-scripts`; Node 20 works with polyfill.mjs) and an empty
`conf/hsts-preload.json`; score.mjs and polyfill.mjs are copied into it.
"""

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

from pool import POOL

UPSTREAM = Path(sys.argv[1])
HERE = Path(__file__).parent
for name in ("score.mjs", "polyfill.mjs"):
    shutil.copy(HERE / name, UPSTREAM / name)
rng = random.Random(17)
cases = [{k: rng.choice(v) for k, v in POOL.items() if rng.random() < 0.6} for _ in range(300)]
cases += [{}, {k: v[0] for k, v in POOL.items() if k != "Content-Security-Policy-Report-Only"}]
out = json.loads(
    subprocess.run(
        ["node", "score.mjs"],
        cwd=UPSTREAM,
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
)
rows = []
for case, real in zip(cases, out, strict=False):
    rows.append(
        {
            "headers": case,
            "score": real["score"],
            "grade": real["grade"],
            "tests": dict(sorted(real["tests"].items())),
        }
    )
commit = subprocess.run(
    ["git", "rev-parse", "HEAD"], cwd=UPSTREAM, capture_output=True, text=True
).stdout.strip()
doc = {
    "origin": f"mdn/mdn-http-observatory@{commit} src/scanner/index.js analyzeScan,"
    " requests built by test/helpers.js emptyRequests()",
    "algorithm_version": out[0]["version"],
    "licence": "MPL-2.0 (the grader); the cases are ours",
    "cases": rows,
}
rows_text = ",\n".join(json.dumps(r, separators=(",", ":")) for r in rows)
head = {k: v for k, v in doc.items() if k != "cases"}
text = json.dumps(head)[:-1] + ',\n "cases": [\n' + rows_text + "\n]}\n"
(HERE.parent.parent / "tests/data/observatory_algorithm6.json").write_text(text)
print(len(rows), doc["origin"])
