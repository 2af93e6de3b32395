"""How a JavaScript object orders its keys, which decides what Node.js code we port reads
first: `Object.values`, `Object.keys` and `for…in` give the array indices (canonical
numbers below 2**32 - 1) in numeric order, then the other keys in the order they were
first set. Spreading a string or an array into an object gives it index keys."""

from __future__ import annotations

import re
from collections.abc import Iterable

_INDEX = re.compile(r"0|[1-9][0-9]{0,9}")


def is_array_index(key: str) -> bool:
    """Whether JavaScript treats `key` as an array index ('0', '17'; not '01' or '-1')."""
    return bool(_INDEX.fullmatch(key)) and int(key) < 2**32 - 1


def key_order(keys: Iterable[str]) -> list[str]:
    """`keys` (in the order first set) as a JavaScript object walks them."""
    keys = list(keys)
    indices = {k for k in keys if is_array_index(k)}
    return sorted(indices, key=int) + [k for k in keys if k not in indices]
