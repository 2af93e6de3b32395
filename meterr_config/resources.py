"""Find the vendored schemas: inside an installed wheel, or in the source checkout.

The wheel carries `schemas/` as `meterr_config/_schemas` (see pyproject.toml); an editable
install or a source checkout reads the repository's own `schemas/` folder.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any


@cache
def schemas_dir() -> Path:
    """The folder holding the vendored and exported schemas."""
    bundled = Path(str(files("meterr_config"))) / "_schemas"
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parent.parent / "schemas"


@cache
def load_json(relative: str) -> Any:
    """Parse a JSON file under the schemas folder once per process."""
    return json.loads((schemas_dir() / relative).read_text(encoding="utf-8"))
