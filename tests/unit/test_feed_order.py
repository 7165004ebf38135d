"""The feed's order: near-duplicates spread out, jobs in reach first (pure domain)."""

from __future__ import annotations

from domain.matching import distance_bucket, duplicate_key, spread


def _key(item: str) -> str:
    """The "a" items are copies of one posting; every other item is unique."""
    return "a" if item.startswith("a") else item


def test_duplicate_key_ignores_case_punctuation_and_spacing() -> None:
    assert duplicate_key("Senior  Nurse - ICU", "c1") == duplicate_key("senior nurse, ICU", "c1")
    assert duplicate_key("Senior Nurse", "c1") != duplicate_key("Senior Nurse", "c2")


def test_no_ten_consecutive_items_hold_more_than_two_of_a_kind() -> None:
    items = [f"a{n}" for n in range(5)] + [f"b{n}" for n in range(20)]
    out = spread(items, _key)
    assert sorted(out) == sorted(items)
    assert out[:3] == ["a0", "a1", "b0"]  # each as early as the rule allows, in rank order
    for start in range(len(out) - 9):
        assert sum(item[0] == "a" for item in out[start : start + 10]) <= 2


def test_items_that_cannot_be_spread_follow_in_order_and_none_is_lost() -> None:
    items = ["a0", "a1", "a2", "b0", "a3"]
    assert spread(items, _key) == ["a0", "a1", "b0", "a2", "a3"]


def test_an_empty_key_is_never_limited() -> None:
    items = ["", "", "", ""]
    assert spread(items, lambda item: item) == items


def test_tier_one_ranks_by_distance_band_before_score() -> None:
    assert [distance_bucket(km) for km in (0.0, 5.0, 5.1, 15.0, 24.0)] == [0, 0, 1, 1, 2]
    assert distance_bucket(None) == 3  # remote and unplaced jobs after the placed ones
    assert distance_bucket(None, unplaced_first=True) == -1
