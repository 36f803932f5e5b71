"""``bench.instructions``: which requests it counts (every landed dialect's listing), how it
reports targets, and that it skips with an install hint when valgrind is absent."""
from __future__ import annotations

import sys

from app.dialects import dialects
from bench import instructions


def test_it_counts_the_hot_requests_and_one_listing_of_every_dialect():
    names = [case.name for case in instructions.cases(20)]
    assert names == ["hello-world", "signed limit 20", "signed limit 1000",
                     "signed OR/NOT-heavy", "bearer limit 20", "peer limit 20",
                     *(f"{dialect.name} list" for dialect in dialects()
                       if instructions.list_route(dialect))]
    # a dialect without a GET listing (the Acronis token route) has no figure
    assert "acronis_idp list" not in names and "pkgdb2 list" in names
    assert {case.name: case.requests for case in instructions.cases(20)}[
        "signed limit 1000"] == 2


def test_a_dialects_listing_is_its_first_get_route_with_a_query_schema():
    v2 = next(dialect for dialect in dialects() if dialect.name == "landscape_v2")
    assert (instructions.list_route(v2).method, instructions.list_route(v2).path) == (
        "GET", "/activities")


def test_the_report_gives_each_target_and_whether_it_is_met():
    lines = instructions.report({"hello-world": 360_000, "signed limit 20": 2_100_000,
                                 "signed limit 1000": 79_000_000, "bearer limit 20": 5e6})
    assert lines[1:] == [
        "hello-world                       360k      1.0   ",
        "signed limit 20                 2,100k      5.8   <= 2,200k   met",
        "signed limit 1000              79,000k    219.4   <= 70,000k   MISSED",
        "bearer limit 20                 5,000k     13.9   "]


def test_without_valgrind_it_says_how_to_install_it_and_skips(monkeypatch, capsys):
    monkeypatch.setattr(instructions.shutil, "which", lambda name: None)
    monkeypatch.setattr(sys, "argv", ["bench.instructions"])
    assert instructions.main() == 0
    assert capsys.readouterr().out == instructions.INSTALL_HINT + "\n"
    assert "apt-get install valgrind" in instructions.INSTALL_HINT
