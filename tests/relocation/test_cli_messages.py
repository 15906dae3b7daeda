"""The CLI in two languages: the catalogue, the language choice, issues, help and ``keys``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_runner import run_cli
from helpers_workspace import tables, write_workspace

from relocation import messages
from relocation.domain.errors import InputIssue
from relocation.keys import scenario_keys

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ["validate", "export-demo", "plan", "demo", "map", "sweep", "diff", "replan",
            "explain", "keys", "outputs", "pareto"]
#: Letters only Vietnamese uses here: diacritics that English text never has.
VI_LETTERS = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


def test_every_key_exists_in_both_languages_with_the_same_placeholders():
    en, vi = messages.CATALOGUE["en"], messages.CATALOGUE["vi"]
    assert set(en) == set(vi), sorted(set(en) ^ set(vi))
    for key in en:
        assert messages.placeholders(en[key]) == messages.placeholders(vi[key]), key
        assert vi[key].strip(), key


def _parity_errors(catalogue: dict[str, dict[str, str]]) -> list[str]:
    """What the parity test finds wrong in a catalogue (its own check, used on a broken copy)."""
    en, vi = catalogue["en"], catalogue["vi"]
    errors = [f"only in {'en' if k in en else 'vi'}: {k}" for k in sorted(set(en) ^ set(vi))]
    errors += [f"fields differ: {k}" for k in sorted(set(en) & set(vi))
               if messages.placeholders(en[k]) != messages.placeholders(vi[k])]
    return errors


def test_a_key_missing_in_one_language_fails_the_parity_check():
    assert _parity_errors(messages.CATALOGUE) == []
    broken = {lang: dict(cat) for lang, cat in messages.CATALOGUE.items()}
    del broken["vi"]["infeas.capacity"]
    broken["en"]["diff.head"] = "B = {b} against A"
    assert _parity_errors(broken) == ["only in en: infeas.capacity", "fields differ: diff.head"]


def test_the_issue_wording_in_the_domain_is_complete_and_joins_the_catalogue():
    from relocation.domain.issue_text import ISSUES, issue_text

    for key, (en, vi) in ISSUES.items():
        assert key.startswith("issue."), key
        assert messages.placeholders(en) == messages.placeholders(vi), key
        assert vi.strip() and vi != en, key
        assert messages.CATALOGUE["en"][key] == en and messages.CATALOGUE["vi"][key] == vi
    # Every key geodata writes from exists, and the English message reads back in Vietnamese.
    used = set()
    for path in (REPO / "geodata").glob("*.py"):
        used |= set(re.findall(r'issue_text\(\s*f?"([a-z0-9_]+)', path.read_text("utf-8")))
    assert len(used) > 60
    used |= {f"{what}_outside_zone_{where}" for what in ("firm", "site")
             for where in ("in", "none")}
    missing = [k for k in used if f"issue.{k}" not in ISSUES]
    assert not missing, missing
    text = issue_text("station_outside", km=3.25, buffer_km=5.0)
    assert text == "the station lies 3.2 km outside the study area (the zones, plus 5 km)"
    assert messages.translate(text, "vi") == (
        "nhà ga nằm ngoài vùng nghiên cứu 3,2 km (các vùng, cộng thêm 5 km)")
    twice = issue_text("required_table", table="firms", exts="firms.csv", gpkg="w.gpkg")
    assert messages.translate(twice, "vi") == (
        "thiếu bảng bắt buộc 'firms': cần một trong các tệp firms.csv hoặc lớp 'firms' trong "
        "w.gpkg")


#: A catalogue look-up in the CLI's modules: ``_t("key"``, ``h("key"``, ``t(lang, "key"``.
CALL = r'(?:_t|\bh|\bt)\((?:lang, |self\.lang, |HELP_LANG, )?"([a-z_.]+)"'


def test_every_key_the_cli_uses_is_in_the_catalogue():
    used = set()
    for name in ("cli.py", "report.py", "progress.py", "keys.py"):
        text = (REPO / "relocation" / name).read_text(encoding="utf-8")
        used |= set(re.findall(CALL, text))
    used |= {f"cmd.{c.replace('-', '_')}.help" for c in COMMANDS}
    missing = sorted(k for k in used if k not in messages.CATALOGUE["en"])
    assert not missing and len(used) > 60


@pytest.mark.parametrize(
    ("explicit", "env", "lang"),
    [
        (None, {"LANG": "vi_VN.UTF-8"}, "vi"),
        (None, {"LANG": "C"}, "en"),
        (None, {}, "en"),
        (None, {"LANG": "vi_VN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        (None, {"LC_MESSAGES": "vi_VN", "LANG": "en_US.UTF-8"}, "vi"),
        (None, {"RELOCATION_LANG": "en", "LANG": "vi_VN.UTF-8"}, "en"),
        (None, {"RELOCATION_LANG": "vi", "LANG": "C"}, "vi"),
        ("en", {"RELOCATION_LANG": "vi"}, "en"),
    ],
)
def test_the_language_is_the_option_then_the_setting_then_the_locale(explicit, env, lang):
    assert messages.choose_language(explicit, env) == lang


def test_argv_language_finds_the_option_anywhere():
    assert messages.argv_language(["--lang", "vi", "plan", "ws"]) == "vi"
    assert messages.argv_language(["map", "run", "--lang=en"]) == "en"
    assert messages.argv_language(["plan", "ws"]) is None


ISSUES = [
    InputIssue("firms.csv", 4, "land_area_m2", "-800", "must be > 0"),
    InputIssue("firms.csv", 5, "employees", "sáu mươi", "not a whole number"),
    InputIssue("firms.csv", 2, "firm_id", "0001", "duplicate firm_id (rows 2, 3)"),
    InputIssue("zones.geojson", 3, "geometry", None, "invalid polygon"),
    InputIssue("scenario.toml", 4, None, None, "not valid TOML"),
    InputIssue("firms.csv", 3, "employees", "25000", "unusually many", "warning"),
    InputIssue("sites.csv", None, "zone_id", None, "required column is missing"),
]


@pytest.mark.parametrize("issue", ISSUES)
def test_the_english_frame_is_the_domain_format(issue):
    assert messages.format_issue(issue, "en") == issue.format()


def test_the_vietnamese_frame_and_common_messages():
    vi = [messages.format_issue(i, "vi") for i in ISSUES]
    assert vi[0] == "firms.csv, dòng 4, cột land_area_m2 (giá trị '-800'): phải > 0"
    assert vi[1].endswith("(giá trị 'sáu mươi'): không phải là số nguyên")
    assert vi[2].endswith("firm_id bị trùng (các dòng 2, 3)")
    assert vi[3] == "zones.geojson, đối tượng 3, cột geometry: invalid polygon"  # as written
    assert vi[5].startswith("cảnh báo: firms.csv, dòng 3")
    assert vi[6] == "sites.csv, cột zone_id: thiếu cột bắt buộc"
    assert messages.translate("refusing to overwrite", "vi") == "từ chối ghi đè"
    assert messages.translate("not a number", "vi") == "không phải là số"
    assert messages.translate("missing", "vi") == "thiếu"


def _bad_workspace(tmp_path):
    data = tables()
    data["firms"].loc[1, "firm_id"] = "0001"
    data["firms"].loc[2, "land_area_m2"] = "-800"
    data["firms"].loc[3, "employees"] = "sáu mươi"
    return write_workspace(tmp_path, overrides=data)


def test_validate_bad_input_in_vietnamese(tmp_path):
    result = run_cli("--lang", "vi", "validate", str(_bad_workspace(tmp_path)))
    assert result.returncode == 2
    err = result.stderr
    assert err.startswith("lỗi: ") and "4 lỗi" in err.splitlines()[0]
    assert "không phải là thư mục dữ liệu hợp lệ" in err.splitlines()[0]
    assert "firms.csv, dòng 4, cột land_area_m2 (giá trị '-800'): phải > 0" in err
    assert "(giá trị 'sáu mươi'): không phải là số nguyên" in err
    assert "firm_id bị trùng (các dòng 2, 3)" in err
    assert " row " not in err and "error" not in err


def test_rarer_validator_messages_in_vietnamese(tmp_path):
    data = tables()
    data["firms"].loc[0, "mandatory"] = "có lẽ"
    data["firms"].loc[1, "pollution"] = "rất cao"
    data["firms"].loc[2, "earliest_year"] = "năm sau"
    data["firms"].loc[3, ["lon", "lat"]] = ["10.89", "106.69"]
    ws = str(write_workspace(tmp_path, overrides=data))
    vi = run_cli("--lang", "vi", "validate", ws)
    assert vi.returncode == 2
    lines = vi.stderr.splitlines()[1:]
    assert lines == [
        "  firms.csv, dòng 2, cột mandatory (giá trị 'có lẽ'): không phải giá trị đúng/sai "
        "(true/false, 1/0, yes/no, có/không)",
        "  firms.csv, dòng 3, cột pollution (giá trị 'rất cao'): không phải giá trị được phép: "
        "một trong high, medium, low",
        "  firms.csv, dòng 4, cột earliest_year (giá trị 'năm sau'): không phải là năm (số "
        "nguyên)",
        "  firms.csv, dòng 5, cột lon/lat (giá trị '10.89, 106.69'): lat/lon có vẻ bị đảo",
    ]
    en = run_cli("--lang", "en", "validate", ws)
    assert "(value 'năm sau'): not a whole year" in en.stderr
    assert "(value '10.89, 106.69'): lat/lon look swapped" in en.stderr


def test_bad_settings_in_vietnamese(tmp_path):
    ws = write_workspace(tmp_path / "ws")
    res = run_cli("--lang", "vi", "plan", str(ws), "--out", str(tmp_path / "run"), "--quiet",
                  "--set", "limits.max_moves_per_year=-5", "--set", "weights.mode=x",
                  "--set", "quota.0.min_share=0.9", "--set", "solver.workers=1.5")
    assert res.returncode == 2
    assert res.stderr.splitlines() == [
        "lỗi: thiết lập sai: 4 lỗi",
        "  --set limits.max_moves_per_year (giá trị '-5'): phải lớn hơn hoặc bằng 0",
        "  --set quota.0.min_share (giá trị '0.9'): quota.0: min_share (0.9) lớn hơn max_share "
        "(0.75)",
        "  --set solver.workers (giá trị '1.5'): phải là số nguyên (giá trị có phần thập phân)",
        "  --set weights.mode (giá trị 'x'): phải là 'weighted' hoặc 'lexicographic'",
    ]


def test_the_locale_and_the_setting_choose_vietnamese(tmp_path):
    ws = str(_bad_workspace(tmp_path))
    by_locale = run_cli("validate", ws, env={"LANG": "vi_VN.UTF-8", "LC_ALL": "",
                                             "LC_MESSAGES": "", "RELOCATION_LANG": ""})
    by_setting = run_cli("validate", ws, env={"RELOCATION_LANG": "vi", "LC_ALL": "C"})
    english = run_cli("validate", ws, env={"RELOCATION_LANG": "en", "LANG": "vi_VN.UTF-8"})
    assert by_locale.stderr.startswith("lỗi: ") and by_setting.stderr.startswith("lỗi: ")
    assert english.stderr.startswith("error: ") and ", row 4, column land_area_m2" in english.stderr


def test_validate_ok_in_vietnamese_and_the_alias_after_the_command(tmp_path):
    ws = write_workspace(tmp_path)
    ok = run_cli("--lang", "vi", "validate", str(ws))
    assert ok.returncode == 0 and ok.stdout.startswith("Hợp lệ: 4 doanh nghiệp, 2 địa điểm")
    bad = run_cli("--lang", "fr", "validate", str(ws))
    assert bad.returncode == 2 and "--lang (value 'fr'): must be vi or en" in bad.stderr
    alias = run_cli("explain", str(tmp_path / "none"), "X", "--lang", "vi")
    assert alias.returncode == 2 and alias.stderr.startswith("lỗi: ")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_command_help_renders_with_examples(lang):
    for name in COMMANDS:
        res = run_cli("--lang", lang, name, "--help", env={"COLUMNS": "80"})
        assert res.returncode == 0, res.stderr
        out = res.stdout
        assert "<bool>" not in out and "list[str]" not in out, name
        assert not re.search(r"\w+/\w+\.py", out), name  # no source file named
        assert ("Ví dụ:" if lang == "vi" else "Examples:") in out, name
        assert f"relocation {name}" in out.split("Examples:" if lang == "en" else "Ví dụ:")[1]
        assert max(len(line) for line in out.splitlines()) <= 80, name
        if lang == "vi":
            assert VI_LETTERS.search(out), name
            assert out.startswith("Cách dùng: ") and "\nTuỳ chọn:\n" in out, name
            assert "Hiện trợ giúp này rồi thoát." in out and "Show this" not in out, name
    sweep = run_cli("--lang", lang, "sweep", "--help", env={"COLUMNS": "80"}).stdout
    assert "[grid]" in sweep and "--set KEY=VALUE" in sweep


def test_keys_lists_every_setting_with_type_default_and_meaning():
    res = run_cli("--lang", "en", "keys")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    for row in scenario_keys():
        assert f"  {row.key}  <{row.type}>" in out, row.key
    assert "limits.max_moves_per_year  <int | none>  (default none)" in out
    assert "solver.time_limit_s  <float>  (default 60.0)" in out
    assert "most firms moved in one year" in out
    vi = run_cli("--lang", "vi", "keys", "limits").stdout
    assert "số doanh nghiệp di dời tối đa trong một năm" in vi and "costs." not in vi


def test_every_section_has_a_meaning_in_both_languages():
    for lang in messages.LANGUAGES:
        for row in scenario_keys():
            assert messages.CATALOGUE[lang].get(f"section.{row.section}"), row.section


def test_an_unknown_set_key_points_at_relocation_keys(tmp_path):
    ws = write_workspace(tmp_path / "ws")
    res = run_cli("--lang", "en", "plan", str(ws), "--out", str(tmp_path / "run"), "--quiet",
                  "--set", "limits.max_moves=5")
    assert res.returncode == 2
    assert "unknown key 'limits.max_moves'" in res.stderr
    assert "relocation keys lists them" in res.stderr and ".py" not in res.stderr


@pytest.mark.parametrize(
    ("args", "env", "messages_lang", "documents_lang"),
    [
        ([], {"LANG": "C"}, "en", "vi"),  # the locale sets the messages only
        ([], {"LANG": "vi_VN.UTF-8"}, "vi", "vi"),
        (["--lang", "en"], {"LANG": "vi_VN.UTF-8"}, "en", "en"),
        ([], {"RELOCATION_LANG": "en", "LANG": "vi_VN.UTF-8"}, "en", "en"),
    ],
)
def test_the_documents_stay_vietnamese_unless_a_language_is_chosen(
    monkeypatch, tmp_path, args, env, messages_lang, documents_lang
):
    from typer.testing import CliRunner

    from relocation import cli

    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "RELOCATION_LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(cli, "_state", {"lang": "en", "output": "vi"})
    seen = {}
    monkeypatch.setattr(cli, "workspace_summary", lambda ws: seen.update(
        lang=cli.current_language(), out=cli.output_language()) or "")
    result = CliRunner().invoke(cli.app, [*args, "validate", str(write_workspace(tmp_path))])
    assert seen == {"lang": messages_lang, "out": documents_lang}, result.output
