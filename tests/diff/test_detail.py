"""What changed inside a changed list or table: deepdiff's view, checked for soundness."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from meterr_config.diff.detail import Detail, detail
from meterr_config.diff.engine import diff
from meterr_config.reporters.base import detail_line
from meterr_config.snapshot import Snapshot
from tests.conftest import Runner

KNOWS = frozenset({"vercel.json"})


def _vercel(doc: dict[str, Any], name: str) -> Snapshot:
    return Snapshot(name=name, source="dir", vercel=doc, knows=KNOWS)


def _lines(old: Any, new: Any) -> list[str]:
    return [detail_line(d) for d in detail(old, new)]


def test_items_added_and_removed_from_a_list() -> None:
    assert _lines(["iad1", "sfo1", "fra1"], ["iad1", "fra1", "cdg1"]) == [
        "- [1]: sfo1",
        "+ [2]: cdg1",
    ]


def test_a_field_changed_inside_an_object_of_a_list() -> None:
    old = [{"protocol": "https", "hostname": "a.example.com"}, {"hostname": "b.example.com"}]
    new = [{"protocol": "https", "hostname": "a.example.com"}, {"hostname": "c.example.com"}]
    assert _lines(old, new) == ["~ [1] > hostname: b.example.com → c.example.com"]


def test_a_new_order_is_said_even_when_nothing_else_changed() -> None:
    assert _lines(["image/avif", "image/webp"], ["image/webp", "image/avif"]) == [
        "~ the items kept are in another order"
    ]
    assert _lines({"formats": ["a", "b"]}, {"formats": ["b", "a"]}) == [
        "~ formats: the items kept are in another order"
    ]


def test_removed_added_and_reordered_together() -> None:
    assert _lines(["a", "b", "c"], ["c", "b", "d"]) == [
        "- [0]: a",
        "+ [2]: d",
        "~ the items kept are in another order",
    ]


def test_a_repeated_item_dropped() -> None:
    assert _lines(["pg", "pg", "redis"], ["pg", "redis"]) == ["- [1]: pg"]


def test_tables_by_key() -> None:
    assert _lines({"a": 1, "b": {"c": [1]}}, {"a": 2, "b": {"c": [1, 2]}, "d": None}) == [
        "~ a: 1 → 2",
        "+ b > c > [1]: 2",
        "+ d: (none)",
    ]


def test_no_detail_for_scalars_equal_values_or_different_types() -> None:
    assert detail("a", "b") == ()
    assert detail([1], [1]) == ()
    assert detail([1], {"a": 1}) == ()


SCALARS = st.one_of(st.integers(-3, 3), st.sampled_from(["a", "b", "c", "iad1", "sfo1"]))


def _root_items(details: tuple[Detail, ...], kinds: set[str], side: str) -> Counter[Any]:
    return Counter(getattr(d, side) for d in details if d.kind in kinds and len(d.path) <= 1)


@settings(max_examples=300, deadline=None)
@given(st.lists(SCALARS, max_size=8), st.lists(SCALARS, max_size=8))
def test_list_details_account_for_every_item(old: list[Any], new: list[Any]) -> None:
    """Whatever deepdiff pairs, the items it says left are exactly those the old list has
    more of, the items it says came are those the new list has more of, and a new order
    of the kept items is always said."""
    found = detail(old, new)
    assert (found == ()) == (old == new)
    before, after = Counter(old), Counter(new)
    assert _root_items(found, {"removed", "changed"}, "old") == before - after
    assert _root_items(found, {"added", "changed"}, "new") == after - before
    kept = before & after

    def order(items: list[Any]) -> list[Any]:
        left = Counter(kept)
        out = []
        for item in items:
            if left[item] > 0:
                left[item] -= 1
                out.append(item)
        return out

    reordered = any(d.kind == "reordered" for d in found)
    assert reordered == (order(old) != order(new))


JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["x", "y", "z"]), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(JSON, max_size=5), st.lists(JSON, max_size=5))
def test_nested_values_that_differ_always_have_a_detail(old: list[Any], new: list[Any]) -> None:
    assert (detail(old, new) == ()) == (old == new)


def test_the_engine_attaches_details_to_changed_lists_only() -> None:
    left = _vercel({"regions": ["iad1", "sfo1"], "framework": "nextjs"}, "a")
    right = _vercel({"regions": ["iad1"], "framework": None}, "b")
    changes = {c.path[1]: c for c in diff(left, right)}
    assert [detail_line(d) for d in changes["regions"].detail] == ["- [1]: sfo1"]
    assert changes["framework"].detail == ()


def test_details_come_from_redacted_values(tmp_path: Path, cli: Runner) -> None:
    """A key-shaped value inside a list is shown only redacted, in the detail too."""
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "vercel.json").write_text('{"regions": ["iad1"]}')
    (tmp_path / "b" / "vercel.json").write_text(f'{{"regions": ["iad1", "{token}"]}}')
    for fmt in ("text", "json", "markdown", "github", "sarif"):
        result = cli("diff", f"dir:{tmp_path / 'a'}", f"dir:{tmp_path / 'b'}", "-f", fmt)
        assert result.code == 1
        assert token not in result.out + result.err
    text = cli("diff", f"dir:{tmp_path / 'a'}", f"dir:{tmp_path / 'b'}").out
    assert "      + [1]: <redacted: 40 chars, sha256:" in text
