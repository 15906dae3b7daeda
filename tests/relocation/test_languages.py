"""What a run explains, in the run's language: infeasibility, the sweep report, freed land."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cli_runner import run_cli
from helpers_workspace import tables, write_workspace

from geodata.validate import WARN_EMPLOYEES
from relocation.sweep import PointResult, SweepOutcome, SweepPoint, SweepSpec
from relocation.sweep.report import comparison_frame, render_report_html

REPO = Path(__file__).resolve().parents[2]
#: Letters only Vietnamese uses here: diacritics that English text never has.
VI_LETTERS = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
#: The demo with 50–60 % by 2025: 1,378 moves where 2 years of 650 allow 1,300.
INFEASIBLE_DEMO = ("plan", str(REPO / "geodata" / "demo"), "--set", "quota.0.min_share=0.5",
                   "--set", "quota.0.max_share=0.6", "--time-limit", "10", "--quiet")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_infeasible_demo_is_explained_in_the_run_language(tmp_path, lang):
    res = run_cli("--lang", lang, *INFEASIBLE_DEMO, "--out", str(tmp_path / "run"), timeout=300)
    assert res.returncode == 3, res.stderr
    lines = res.stderr.splitlines()
    if lang == "vi":
        assert lines[0] == "không khả thi: dữ liệu không thể đáp ứng kịch bản"
        assert lines[1] == ("  chỉ tiêu 50% đến hết 2025 cần 1.378 lượt di dời; năng lực xử lý "
                            "hằng năm chỉ cho phép 2 × 650 = 1.300")
        assert re.fullmatch(r"  tỷ lệ cao nhất có thể đạt đến hết 2025 là \d\d,\d%", lines[2])
        assert not re.search(r"\b(needs|moves|capacity|highest|share)\b", res.stderr)
    else:
        assert lines[0] == "infeasible: the scenario cannot be satisfied by the data"
        assert lines[1] == ("  50% by 2025 needs 1,378 moves; the yearly processing capacity "
                            "allows 2 × 650 = 1,300")
        assert re.fullmatch(r"  the highest share achievable by 2025 is \d\d\.\d%", lines[2])
        assert not VI_LETTERS.search(res.stderr)
    # The run folder keeps the explanation in English and as notes (either language later).
    summary = json.loads((tmp_path / "run" / "summary.json").read_text(encoding="utf-8"))
    assert summary["explanation"] == [
        "50% by 2025 needs 1,378 moves; the yearly processing capacity allows 2 × 650 = 1,300"]
    assert [n["key"] for n in summary["explanation_notes"]] == ["infeas.capacity"]
    assert summary["explanation_notes"][0]["values"]["need"] == 1378


class _Elements(HTMLParser):
    """The text of each element of a page, with its tag and class."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.found: list[tuple[str, str, str, str]] = []  # tag, class, parent class, text

    def handle_starttag(self, tag, attrs):
        if tag not in ("br",):
            self.stack.append((tag, dict(attrs).get("class") or ""))

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and data.strip():
            tag, cls = self.stack[-1]
            parent = self.stack[-2][1] if len(self.stack) > 1 else ""
            self.found.append((tag, cls, parent, data.strip()))


def _infeasible_summary(tmp_path: Path) -> dict:
    """A real infeasible run of the test workspace: 100 % by 2025 at one move a year."""
    ws = write_workspace(tmp_path / "ws")
    res = run_cli("--lang", "en", "plan", str(ws), "--out", str(tmp_path / "inf"), "--quiet",
                  "--set", "quota.0.min_share=1.0", "--set", "quota.0.max_share=1.0",
                  "--set", "limits.max_moves_per_year=1", "--time-limit", "10")
    assert res.returncode == 3, res.stderr
    return json.loads((tmp_path / "inf" / "summary.json").read_text(encoding="utf-8"))


def test_the_sweep_report_shows_each_sentence_of_an_explanation_in_its_own_element(tmp_path):
    summary = _infeasible_summary(tmp_path)
    point = SweepPoint("q100", "q100", {"quota.0.min_share": 1.0})
    outcome = SweepOutcome((PointResult(point, summary, False),), tmp_path,
                           SweepSpec((point,), "--quota", axis="quota.0.min_share"))
    df = comparison_frame(outcome)
    assert "needs 3 moves" in df.loc[0, "explanation"]
    assert "cần 3 lượt di dời" in df.loc[0, "explanation_vi"]
    html = render_report_html(outcome, df, "t")
    parser = _Elements()
    parser.feed(html)
    items = {(cls, text) for tag, _, cls, text in parser.found if tag == "li"}
    vi = [text for cls, text in items if cls == "why"]
    en = [text for cls, text in items if cls == "why en"]
    assert "chỉ tiêu 100% đến hết 2025 cần 3 lượt di dời; năng lực xử lý hằng năm chỉ cho phép " \
        "2 × 1 = 2" in vi
    assert "100% by 2025 needs 3 moves; the yearly processing capacity allows 2 × 1 = 2" in en
    # The highest achievable share is a sentence of its own in each language.
    assert any(re.fullmatch(r"tỷ lệ cao nhất có thể đạt đến hết 2025 là \d+(,\d)?%", t)
               for t in vi), vi
    assert any(re.fullmatch(r"the highest share achievable by 2025 is \d+(\.\d)?%", t)
               for t in en), en
    assert "= 2 Tỷ lệ" not in html and "= 2 tỷ lệ" not in html
    cells = [text for tag, cls, _, text in parser.found if tag == "td"]
    assert "Không khả thi" in cells  # the status in words, Vietnamese over English


def test_the_freed_land_lines_after_a_plan_in_both_languages(tmp_path):
    data = tables()
    data["firms"].loc[0, "employees"] = "25000"  # a warning, not an error
    ws = write_workspace(tmp_path / "ws", overrides=data)
    vi = run_cli("--lang", "vi", "plan", str(ws), "--out", str(tmp_path / "run"), "--quiet",
                 "--time-limit", "10")
    assert vi.returncode == 0, vi.stderr
    land = json.loads((tmp_path / "run" / "summary.json").read_text(encoding="utf-8"))[
        "freed_land"]
    end, sh = land["horizon_end"], land["social_housing"]

    def ha(v: float, lang: str) -> str:
        text = f"{v:,.1f}"
        return text.translate(str.maketrans(",.", ".,")) if lang == "vi" else text

    status = json.loads((tmp_path / "run" / "summary.json").read_text(encoding="utf-8"))[
        "status"]
    word = {"OPTIMAL": "tối ưu", "FEASIBLE": "khả thi"}[status]
    assert vi.stdout.startswith(f"Kế hoạch {word} ({status}) cho kịch bản 'test'")
    assert (f"  đất giải phóng đến hết {end}: {ha(land['freed_ha'], 'vi')} ha đã giải phóng "
            f"({land['parcels']} thửa, trong đó {ha(land['freed_before_horizon_ha'], 'vi')} ha "
            "của doanh nghiệp đã di dời trước kỳ kế hoạch)") in vi.stdout
    assert (f"    nhà ở xã hội trên đất sử dụng được đến hết {end}: {sh['units']} căn trên "
            f"{ha(sh['usable_ha'], 'vi')} ha") in vi.stdout
    assert f"    sử dụng được đến hết {end}: Lõi TOD (gần ga) " in vi.stdout
    many = f"{WARN_EMPLOYEES:,}".replace(",", ".")
    assert ("    cảnh báo: firms.csv, dòng 2, cột employees (giá trị '25000'): số lao động "
            f"nhiều bất thường (trên {many})") in vi.stdout
    words = vi.stdout.split("kết quả trong")[0]  # before the file names
    assert "freed" not in words and "usable" not in words and "social" not in words
    en = run_cli("--lang", "en", "plan", str(ws), "--out", str(tmp_path / "run"), "--quiet",
                 "--time-limit", "10", "--force")
    assert en.returncode == 0, en.stderr
    assert (f"  freed land by {end}: {ha(land['freed_ha'], 'en')} ha freed "
            f"({land['parcels']} parcels") in en.stdout
    assert (f"    social housing usable by {end}: {sh['units']} units on "
            f"{ha(sh['usable_ha'], 'en')} ha") in en.stdout
    assert not VI_LETTERS.search(en.stdout.split("freed land by")[1].split("outputs in")[0])
    assert f"unusually many employees (over {WARN_EMPLOYEES:,})" in en.stdout
