"""``relocation diff``: firm-by-firm and total differences between two run folders."""

from __future__ import annotations

import pandas as pd
import pytest
from cli_runner import run_cli
from helpers_workspace import tables, write_workspace
from typer.testing import CliRunner

from geodata.outputs import write_csv, write_json
from relocation import cli
from relocation.diff import DIFF_COLUMNS, diff_runs, read_run
from relocation.domain.problem import ALL_TERMS
from relocation.domain.scenario import Scenario
from relocation.run_folder import scenario_toml
from relocation.workflow import SCHEDULE_COLUMNS, PlanOptions, plan_workspace

runner = CliRunner()


def _run(folder, moves, objective, status="FEASIBLE"):
    """A run folder as the workflow writes it (write_csv neutralises formula-like text)."""
    folder.mkdir(parents=True)
    rows = []
    for fid, name, site, year, total in moves:
        row = dict.fromkeys(SCHEDULE_COLUMNS, 0)
        row.update(firm_id=fid, firm_name=name, origin_zone_id="Z", site_id=site,
                   site_name=f"KCN {site}", year=year, total_vnd=total)
        rows.append(row)
    write_csv(pd.DataFrame(rows, columns=list(SCHEDULE_COLUMNS)), folder / "schedule.csv")
    terms = dict.fromkeys(ALL_TERMS, 0)
    terms["rent"] = objective - 1000
    terms["commute"] = 1000
    write_json({"status": status, "terms": terms, "weighted_objective": objective},
               folder / "summary.json")
    (folder / "scenario.toml").write_text(scenario_toml(Scenario()), encoding="utf-8")
    return folder


@pytest.fixture()
def runs(tmp_path):
    a = _run(tmp_path / "a", [
        ("0001", "=HYPERLINK(\"http://x\")", "S1", 2025, 100),
        ("0002", "Công ty Dệt Lái Thiêu", "S1", 2024, 200),
        ("0003", "Xưởng Cơ khí", "S1", 2025, 300),
        ("0004", "Bao bì", "S1", 2025, 400),
        ("0005", "Gỗ Thuận An", "S2", 2026, 500),
        ("0007", "Không đổi", "S2", 2026, 700),
    ], objective=2_200_000_000_000)
    b = _run(tmp_path / "b", [
        ("0001", "=HYPERLINK(\"http://x\")", "S1", 2024, 90),
        ("0002", "Công ty Dệt Lái Thiêu", "S1", 2026, 210),
        ("0003", "Xưởng Cơ khí", "S2", 2025, 330),
        ("0004", "Bao bì", "S2", 2027, 380),
        ("-0006", "+Mới", "S2", 2025, 600),
        ("0007", "Không đổi", "S2", 2026, 700),
    ], objective=2_500_000_000_000)
    return a, b


def test_every_kind_of_change_with_costs(runs):
    a, b = runs
    d = diff_runs(read_run(a), read_run(b))
    assert list(d.changes.columns) == list(DIFF_COLUMNS)
    got = d.changes[["firm_id", "firm_name", "change", "year_a", "year_b", "delta_vnd"]]
    rows = [tuple(None if pd.isna(v) else v for v in r) for r in got.itertuples(index=False)]
    assert rows == [
        ("0001", "=HYPERLINK(\"http://x\")", "earlier", 2025, 2024, -10),
        ("0002", "Công ty Dệt Lái Thiêu", "later", 2024, 2026, 10),
        ("0003", "Xưởng Cơ khí", "elsewhere", 2025, 2025, 30),
        ("0004", "Bao bì", "elsewhere+later", 2025, 2027, -20),
        ("0005", "Gỗ Thuận An", "no_longer", 2026, None, -500),
        ("-0006", "+Mới", "newly", None, 2025, 600),
    ]
    assert d.totals["objective"] == (2_200_000_000_000, 2_500_000_000_000, 300_000_000_000)
    assert d.totals["commute"][2] == 0 and d.totals["rent"][2] == 300_000_000_000
    assert d.counts["elsewhere+later"] == 1 and sum(d.counts.values()) == 6


def test_cli_prints_table_and_writes_csv(runs, tmp_path):
    a, b = runs
    out = tmp_path / "diff.csv"
    res = runner.invoke(cli.app, ["diff", str(a), str(b), "--out", str(out)])
    assert res.exit_code == 0, res.stderr
    text = res.stdout
    assert "objective" in text and "(+300.00)" in text
    assert "firms changed: 6 (earlier 1, later 1, elsewhere 1, elsewhere+later 1, " in text
    assert "0005" in text and "S2→—" in text and "2026→—" in text
    back = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(back["firm_id"]) == ["0001", "0002", "0003", "0004", "0005", "'-0006"]
    assert back.loc[0, "firm_name"].startswith("'=")  # the CSV stays formula-safe
    res = runner.invoke(cli.app, ["diff", str(a), str(b), "--limit", "2"])
    assert "… 4 more (see --out)" in res.stdout


def test_the_diff_in_vietnamese(runs, tmp_path):
    a, b = runs
    res = run_cli("--lang", "vi", "diff", str(a), str(b), "--limit", "2")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == f"B = {b} so với A = {a} (tỷ đồng, B − A)"
    assert lines[1].split() == ["mục", "tiêu", "2.200,00", "→", "2.500,00", "(+300,00)"]
    assert "theo khoản: Tiền thuê đất +300,00" in res.stdout
    assert ("doanh nghiệp thay đổi: 6 (sớm hơn 1, muộn hơn 1, nơi khác 1, nơi khác và muộn "
            "hơn 1, không còn di dời 1, mới di dời 1)") in res.stdout
    assert lines[6].split()[:4] == ["mã", "DN", "tên", "doanh"] and "Δ tỷ đồng" in lines[6]
    assert "… còn 4 doanh nghiệp (xem --out)" in res.stdout
    for word in ("objective", "firms changed", "earlier", "later", "more", "by term"):
        assert word not in res.stdout, word
    bad = run_cli("--lang", "vi", "diff", str(a), str(tmp_path / "nowhere"))
    assert bad.returncode == 2
    assert bad.stderr.startswith("lỗi: không so sánh được lần chạy: 1 lỗi")
    assert "không có thư mục lần chạy này" in bad.stderr


def test_bad_runs_are_exit_2(runs, tmp_path):
    a, _ = runs
    res = runner.invoke(cli.app, ["diff", str(a), str(tmp_path / "nowhere")])
    assert res.exit_code == 2 and "no such run folder" in res.stderr
    inf = tmp_path / "inf"
    inf.mkdir()
    write_json({"status": "INFEASIBLE", "terms": None, "explanation": ["x"]},
               inf / "summary.json")
    res = runner.invoke(cli.app, ["diff", str(a), str(inf)])
    assert res.exit_code == 2 and "has no plan to compare (status INFEASIBLE)" in res.stderr
    bad = _run(tmp_path / "bad", [("0001", "X", "S1", 2025, 1)], objective=1)
    text = (bad / "schedule.csv").read_text(encoding="utf-8-sig").replace(",2025,", ",năm,")
    (bad / "schedule.csv").write_text(text, encoding="utf-8-sig")
    res = runner.invoke(cli.app, ["diff", str(a), str(bad)])
    assert res.exit_code == 2
    assert "schedule.csv, row 2, column year (value 'năm'): not a whole number" in res.stderr


def test_diff_of_two_real_plans(tmp_path):
    firms = tables()["firms"]
    firms.loc[2, ["moved_year", "moved_site_id"]] = ""
    ws = write_workspace(tmp_path / "ws", overrides={"firms": firms})
    # Every firm moves by 2030 in both runs (an unmoved firm trips a pandas warning in
    # geodata.outputs.write_plan_gpkg, reported to the lead).
    end = {"by_year": 2030, "min_share": 1.0}
    a_quota = [{"by_year": 2025, "min_share": 0.25, "max_share": 0.75}, end]
    b_quota = [{"by_year": 2024, "min_share": 0.75}, end]
    ra, rb = (
        plan_workspace(ws, tmp_path / name, PlanOptions(
            time_limit_s=20, workers=1, render_map=False, overrides={"quota": quota}))
        for name, quota in (("a", a_quota), ("b", b_quota))
    )
    d = diff_runs(read_run(tmp_path / "a"), read_run(tmp_path / "b"))
    sa = ra.plan.moves.set_index("firm_id")
    sb = rb.plan.moves.set_index("firm_id")
    # Three firms must move in 2024 in B; A moves at most one then (its window is 2025).
    assert (sb["year"] == 2024).sum() >= 3
    assert len(d.changes) >= 1
    for r in d.changes.itertuples(index=False):
        if r.change == "no_longer":
            assert r.firm_id in sa.index and r.firm_id not in sb.index
        elif r.change == "newly":
            assert r.firm_id in sb.index and r.firm_id not in sa.index
        else:
            ya, yb = sa.at[r.firm_id, "year"], sb.at[r.firm_id, "year"]
            assert (ya, yb) == (r.year_a, r.year_b)
            assert ("earlier" in r.change) == (yb < ya) and ("later" in r.change) == (yb > ya)
            moved = sa.at[r.firm_id, "site_id"] != sb.at[r.firm_id, "site_id"]
            assert ("elsewhere" in r.change) == moved
    unchanged = set(sa.index) & set(sb.index) - set(d.changes["firm_id"])
    for f in unchanged:
        assert (sa.at[f, "year"], sa.at[f, "site_id"]) == (sb.at[f, "year"], sb.at[f, "site_id"])
    expected = rb.summary["weighted_objective"] - ra.summary["weighted_objective"]
    assert d.totals["objective"][2] == expected
