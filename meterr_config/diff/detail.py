"""What changed inside a changed list or table value.

The engine compares lists (regions, `serverExternalPackages`, image patterns, a legacy
`routes` array) whole, which is right for deciding whether they differ but leaves a
reviewer to spot the one region dropped from two long lines. This module says which items
were added, removed or changed, and whether the items kept are in another order.

Tables are compared key by key, and lists by their items as a multiset, here: both are
linear. What only deepdiff does well is pairing: telling that a removed object and an
added one are the same pattern with its `hostname` changed. So the items one list has
and the other lacks (few, usually) go to `DeepDiff(ignore_order=True)`, which pairs the
similar ones and describes the change inside each pair. It is imported only then: a diff
or a drift check whose changes are plain values never pays its import.

Only the values a Change already holds are compared, and those are redacted, so no
detail can show a secret.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

DetailKind = Literal["added", "removed", "changed", "reordered", "more"]
Path = tuple[str | int, ...]
# Items one side lacks, per side, that deepdiff is asked to pair; its pairing is
# quadratic in them. Past this they are listed as removed and added.
MAX_PAIRED = 50
# Details per change: the value itself is shown too, so a long tail helps nobody.
MAX_DETAILS = 20
# deepdiff's report keys, by what they mean here.
_KINDS: dict[str, DetailKind] = {
    "iterable_item_added": "added",
    "dictionary_item_added": "added",
    "iterable_item_removed": "removed",
    "dictionary_item_removed": "removed",
    "values_changed": "changed",
    "type_changes": "changed",
}


@dataclass(frozen=True)
class Detail:
    """One change inside a value: where in it (an index is the old list's, or the new
    list's for an added item), what kind, and the values there. A "more" record stands
    for the details left out past MAX_DETAILS, `new` holding how many."""

    path: Path
    kind: DetailKind
    old: Any = None
    new: Any = None


def compound(value: Any) -> bool:
    """A list or a table, whose inside a detail can describe."""
    return isinstance(value, list | dict)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _bag(value: Any) -> Any:
    """`value` with every list's order forgotten: what deepdiff's ignore_order compares."""
    if isinstance(value, dict):
        return {key: _bag(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted(_canonical(_bag(item)) for item in value)
    return value


def _extra(items: list[Any], other: list[Any]) -> list[int]:
    """The indexes of the items `items` has more copies of than `other`."""
    spare = Counter(map(_canonical, other))
    out = []
    for index, text in enumerate(map(_canonical, items)):
        if spare[text] > 0:
            spare[text] -= 1
        else:
            out.append(index)
    return out


def _kept_order(items: list[Any], kept: Counter[str]) -> list[str]:
    """The items both lists keep, in `items`' order."""
    left = Counter(kept)
    out = []
    for text in map(_canonical, items):
        if left[text] > 0:
            left[text] -= 1
            out.append(text)
    return out


def _reordered(old: list[Any], new: list[Any]) -> bool:
    kept = Counter(map(_canonical, old)) & Counter(map(_canonical, new))
    return _kept_order(old, kept) != _kept_order(new, kept)


def _paired(
    old: list[Any], new: list[Any], gone: list[int], came: list[int], at: Path
) -> list[Detail]:
    """deepdiff's account of the unmatched items: pairs of similar ones with what changed
    inside them, the rest as removed and added. Pairs it finds equal once order is
    ignored differ only in order inside, which `_inside` then says."""
    from deepdiff import DeepDiff

    tree = DeepDiff([old[i] for i in gone], [new[j] for j in came], ignore_order=True, view="tree")
    out: list[Detail] = []
    said_old: set[int] = set()
    said_new: set[int] = set()
    for report, levels in tree.items():
        kind = _KINDS.get(report)
        if kind is None:  # nothing else arises from JSON values
            continue
        for level in levels:
            where = level.path(output_format="list")
            there = level.path(output_format="list", use_t2=True)
            paired = len(where) > 1  # a change inside a pair: both items are accounted for
            if paired or kind != "added":
                said_old.add(where[0])
            if paired or kind != "removed":
                said_new.add(there[0])
            new_item = kind == "added" and not paired  # the only detail placed in the new list
            place = there if new_item else where
            index = came[place[0]] if new_item else gone[place[0]]
            before = None if kind == "added" else level.t1
            after = None if kind == "removed" else level.t2
            out.append(Detail((*at, index, *place[1:]), kind, before, after))
    rest_old = [i for n, i in enumerate(gone) if n not in said_old]
    rest_new = [j for n, j in enumerate(came) if n not in said_new]
    return out + _leftovers(old, new, rest_old, rest_new, at)


def _leftovers(
    old: list[Any], new: list[Any], gone: list[int], came: list[int], at: Path
) -> list[Detail]:
    """Unmatched items deepdiff said nothing about: an old and a new one equal but for
    order inside are compared item by item; any other is removed or added."""
    out: list[Detail] = []
    waiting = list(came)
    for i in gone:
        partner = next((j for j in waiting if _bag(new[j]) == _bag(old[i])), None)
        if partner is None:
            out.append(Detail((*at, i), "removed", old[i]))
            continue
        waiting.remove(partner)
        out += _inside(old[i], new[partner], (*at, i))
    out += [Detail((*at, j), "added", None, new[j]) for j in waiting]
    return out


def _lists(old: list[Any], new: list[Any], at: Path) -> list[Detail]:
    """Items removed and added (plain values are never paired: a region replaced by
    another is one removed and one added), objects paired, and a new order."""
    gone, came = _extra(old, new), _extra(new, old)
    pairable = ([i for i in gone if compound(old[i])], [j for j in came if compound(new[j])])
    out: list[Detail] = []
    if all(0 < len(side) <= MAX_PAIRED for side in pairable):
        out = _paired(old, new, *pairable, at)
        gone = [i for i in gone if i not in pairable[0]]
        came = [j for j in came if j not in pairable[1]]
    out += [Detail((*at, i), "removed", old[i]) for i in gone]
    out += [Detail((*at, j), "added", None, new[j]) for j in came]
    if _reordered(old, new):
        out.append(Detail(at, "reordered"))
    return out


def _tables(old: dict[str, Any], new: dict[str, Any], at: Path) -> list[Detail]:
    out: list[Detail] = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            out.append(Detail((*at, key), "removed", old[key]))
        elif key not in old:
            out.append(Detail((*at, key), "added", None, new[key]))
        else:
            out += _inside(old[key], new[key], (*at, key))
    return out


def _inside(old: Any, new: Any, at: Path) -> list[Detail]:
    if isinstance(old, dict) and isinstance(new, dict):
        return _tables(old, new, at)
    if isinstance(old, list) and isinstance(new, list):
        return _lists(old, new, at)
    return [] if old == new and type(old) is type(new) else [Detail(at, "changed", old, new)]


def _order(detail: Detail) -> tuple[tuple[int, int, str], ...]:
    """Indexes in number order, keys in name order; an order change after the items."""
    rank = {"removed": 0, "changed": 1, "added": 2, "reordered": 3, "more": 4}
    path = tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in detail.path)
    return (*path, (2, rank[detail.kind], ""))


def detail(old: Any, new: Any) -> tuple[Detail, ...]:
    """The changes inside two lists or two tables, at most MAX_DETAILS of them and a
    count of the rest; () for anything else, and for equal values."""
    if not (compound(old) and compound(new)) or type(old) is not type(new) or old == new:
        return ()
    found = sorted(_inside(old, new, ()), key=_order)
    if len(found) > MAX_DETAILS:
        more = len(found) - MAX_DETAILS + 1
        found = [*found[: MAX_DETAILS - 1], Detail((), "more", None, more)]
    return tuple(found)
