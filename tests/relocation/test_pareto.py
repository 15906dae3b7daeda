"""`relocation pareto` (issue 14): the epsilon-constraint front on a small workspace."""

from __future__ import annotations

import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from cli_runner import run_cli
from helpers_workspace import tables, write_workspace

from maps.offline import check_offline
from relocation.domain.errors import InputError
from relocation.domain.problem import COST_TERMS, DISRUPTION_TERMS
from relocation.pareto import (
    PARETO_COLUMNS,
    dominated_mask,
    front_table,
    parse_tolerances,
    point_name,
    render_pareto_html,
    run_pareto,
)
from relocation.sweep import SweepOptions

TOLERANCES = (0.0, 0.005, 0.02, 0.04, 0.08)


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    """One Pareto run of the helpers' workspace (firm 0003 not yet moved, as in the sweeps)."""
    root = tmp_path_factory.mktemp("pareto")
    firms = tables()["firms"]
    firms.loc[2, ["moved_year", "moved_site_id"]] = ""
    ws_dir = write_workspace(root / "ws", overrides={"firms": firms})
    out = root / "front"
    res = run_pareto(ws_dir, out, TOLERANCES, SweepOptions(time_limit_s=20, workers_total=2))
    return ws_dir, out, res


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(str(a["href"]))
        if tag in ("circle", "tr") and a.get("class"):
            self.classes.append(str(a["class"]))


def test_front_comes_from_the_run_folders_and_keeps_the_non_dominated(front):
    _, out, res = front
    df = pd.read_csv(out / "pareto.csv", encoding="utf-8-sig")
    assert tuple(df.columns) == PARETO_COLUMNS
    assert list(df["point"]) == [point_name(t) for t in TOLERANCES]
    assert list(df["cost_tolerance"]) == list(TOLERANCES)
    for _, row in df.iterrows():
        summary = json.loads((out / row["folder"] / "summary.json").read_text("utf-8"))
        # Each point is a lexicographic run with its own cost tolerance.
        assert summary["solver"]["stats"]["mode"] == "lexicographic"
        assert "stage2" in summary["solver"]["stats"]
        terms = summary["terms"]
        assert row["cost_vnd"] == sum(terms[t] for t in COST_TERMS)
        assert row["disruption_vnd"] == sum(terms[t] for t in DISRUPTION_TERMS)
        assert row["gap"] == pytest.approx(summary["gap"])
        assert row["proven"] == (summary["gap"] <= 0.001)
        stage1 = summary["solver"]["stats"]["stage1"]
        if "lp_bound" in stage1:  # the least cost found against its LP bound
            assert 0.0 <= row["least_cost_gap"] <= 1.0
            assert stage1["lp_bound"] <= stage1["objective"] * (1 - row["least_cost_gap"]) + 1
    pts = list(zip(df["cost_vnd"], df["disruption_vnd"], strict=True))
    keep = df[~df["dominated"]]
    assert len(keep) >= 2, df  # this instance trades cost for disruption
    for i, (c, d) in enumerate(pts):
        others = [p for j, p in enumerate(pts) if j != i]
        beaten = any(c2 <= c and d2 <= d and (c2, d2) != (c, d) for c2, d2 in others)
        repeated = (c, d) in pts[:i]
        assert bool(df["dominated"][i]) == (beaten or repeated)
    # Along the front, more cost buys less disruption.
    keep = keep.sort_values("cost_vnd")
    assert keep["disruption_vnd"].is_monotonic_decreasing
    assert len(res.front) == len(keep)


def test_html_is_offline_and_links_every_point(front):
    _, out, _ = front
    html = (out / "pareto.html").read_text(encoding="utf-8")
    check_offline(html)
    # No network reference at all: the only http text is the SVG namespace (not fetched).
    urls = set(re.findall(r"https?://[^\s\"'<>]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}, urls
    assert "<script" not in html
    parser = _Links()
    parser.feed(html)
    df = pd.read_csv(out / "pareto.csv", encoding="utf-8-sig")
    for _, row in df.iterrows():
        assert row["link"] == f"{row['folder']}/summary.json"  # no map with --outputs plans
        assert parser.hrefs.count(row["link"]) == 2, row["link"]  # its marker and its row
        assert (out / row["link"]).is_file()
    assert sum("dominated" in c for c in parser.classes) == 2 * int(df["dominated"].sum())


def test_unproven_points_are_marked(front):
    _, out, res = front
    results = list(res.sweep.results)
    loose = dict(results[1].summary, gap=0.05)  # as if its solve had stopped at 5 %
    results[1] = dataclasses.replace(results[1], summary=loose)
    outcome = dataclasses.replace(res.sweep, results=tuple(results))
    df = front_table(outcome, 0.001)
    assert not df["proven"][1] and df["proven"].drop(index=1).all()
    html = render_pareto_html(df, "t", 0.001)
    parser = _Links()
    parser.feed(html)
    assert sum("unproven" in c for c in parser.classes) == 2  # the marker and the row
    assert "1 chưa chứng minh" in html


def test_rerun_resumes_and_links_maps_once_written(front):
    ws_dir, out, _ = front
    res = run_cli("outputs", str(out), "--which", "map.html", timeout=300)
    assert res.returncode == 0, res.stderr
    df = pd.read_csv(out / "pareto.csv", encoding="utf-8-sig")
    for folder in df["folder"]:
        assert (out / folder / "map.html").is_file()
        assert not (out / folder / "plan.gpkg").exists()
    again = run_pareto(ws_dir, out, TOLERANCES, SweepOptions(time_limit_s=20, workers_total=2))
    assert all(r.skipped for r in again.sweep.results)
    assert list(again.table["link"]) == [f"{f}/map.html" for f in df["folder"]]
    assert 'href="scenarios/eps000/map.html"' in (out / "pareto.html").read_text("utf-8")


def test_dominated_mask():
    cost = [10, 10, 12, 11, None, 13]
    dis = [5, 5, 3, 6, None, 3]
    # (10,5) kept; its repeat dominated; (12,3) kept; (11,6) beaten by (10,5); no plan:
    # neither; (13,3) beaten by (12,3).
    assert dominated_mask(cost, dis) == [False, True, False, True, False, True]


def test_tolerances_option():
    assert parse_tolerances("0, 0.5%,1%,0.02,1%") == [0.0, 0.005, 0.01, 0.02]
    assert point_name(0.0025) == "eps000_25" and point_name(0.08) == "eps008"
    with pytest.raises(InputError) as exc:
        parse_tolerances("0,abc,150%")
    assert len(exc.value.issues) == 2


def test_bad_tolerance_is_exit_2_before_solving(tmp_path):
    ws_dir = write_workspace(tmp_path / "ws")
    res = run_cli("pareto", str(ws_dir), "--out", str(tmp_path / "f"), "--tolerances", "x")
    assert res.returncode == 2
    assert "--tolerances" in res.stderr and "not a number" in res.stderr
    assert not (tmp_path / "f").exists()


def test_pareto_writes_nothing_outside_its_folder(front):
    _, out, _ = front
    names = {p.name for p in Path(out).iterdir()}
    assert {"pareto.csv", "pareto.html", "comparison.csv", "report.html", "sweep.json",
            "scenarios"} <= names


def test_page_renders_offline_in_chromium(front):
    import shutil

    from browser import CHROMIUM, open_offline

    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("Debian chromium is not installed (/usr/bin/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    _, out, res = front
    with sync_api.sync_playwright() as p:
        browser, pg, log = open_offline(p, (out / "pareto.html").resolve().as_uri(), "#points")
        try:
            assert pg.locator("#front svg.front circle.point").count() == len(TOLERANCES)
            assert pg.locator("#front svg.front circle.point.dominated").count() == int(
                res.table["dominated"].sum()
            )
            assert pg.locator("#front svg.front polyline.line").count() == 1
            assert pg.locator("#front svg a").count() == len(TOLERANCES)
            assert pg.locator("#points tbody tr").count() == len(TOLERANCES)
            assert log["blocked"] == [] and log["failed"] == [] and log["errors"] == []
        finally:
            browser.close()
