"""The command line's words in Vietnamese and English: one catalogue, one language choice.

Every message, help text and error the CLI prints is a key of :data:`CATALOGUE`, a
``str.format`` template per language (a test checks that both languages have every key
with the same placeholders). The language is chosen once per command line
(:func:`choose_language`): ``--lang``, else ``RELOCATION_LANG``, else Vietnamese where the
locale is Vietnamese (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, first set wins), else English.

The workspace validators (geodata/) write their issue messages in English, from the
templates of :mod:`relocation.domain.issue_text` (the ``issue.*`` keys, merged into the
catalogue here). The frame of an issue (file, row, column, value) is translated here, and
so are the messages: an English message matching a template is shown in Vietnamese with
the same values. Messages no template matches are shown as written (English).
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from relocation.domain.errors import InputIssue
from relocation.domain.issue_text import ISSUES

LANGUAGES = ("vi", "en")
#: The environment setting naming the language (``vi`` or ``en``).
LANG_ENV = "RELOCATION_LANG"

_EN: dict[str, str] = {
    # ---- the application and its global options
    "app.help": "Plan enterprise relocation programmes (embedded Bình Dương demo).",
    "app.epilog": (
        "Language: --lang vi|en or RELOCATION_LANG (default: Vietnamese where the locale is "
        "Vietnamese, else English). Every --set key: relocation keys.\n\n"
        "Exit codes: 0 done, 2 bad input, 3 infeasible (explained), 4 no plan within the "
        "time limit, 130 interrupted (Ctrl-C), 143 terminated."
    ),
    "opt.verbose": "Log progress.",
    "opt.lang": "Language of messages, help and the map: vi or en (default: RELOCATION_LANG, "
    "else the locale).",
    "opt.lang_alias": "Same as the global --lang (kept for older scripts).",
    "opt.time_limit": "Solver time limit, seconds (default: the scenario's, 60).",
    "opt.workers": "CP-SAT workers (default: the scenario's, 2).",
    "opt.seed": "Random seed (default: the scenario's, 0).",
    "opt.det_time": "Stop on CP-SAT's deterministic time instead of the clock (with "
    "--workers 1 and a seed: reproducible).",
    "opt.quiet": "No progress display.",
    "opt.force": "Replace the output folder if it exists.",
    "opt.set": "Override a scenario.toml setting: dotted.key=value (repeatable; "
    "relocation keys lists them).",
    "opt.out_run": "Run folder to write.",
    "arg.workspace": "Workspace folder.",
    # ---- commands: help and examples
    "cmd.validate.help": "Check a workspace; print a summary and warnings, or every problem "
    "(exit 2).",
    "cmd.validate.examples": "relocation validate ws\n"
    "relocation --lang en validate ws",
    "cmd.validate.arg": "Workspace folder to check.",
    "cmd.export_demo.help": "Write the embedded Bình Dương demo as a workspace folder.",
    "cmd.export_demo.examples": "relocation export-demo ws\n"
    "relocation export-demo ws --force",
    "cmd.export_demo.dest": "Folder to create.",
    "cmd.export_demo.force": "Replace DEST if it exists and is not empty.",
    "cmd.plan.help": "Plan a workspace: which firm moves where and when. Writes the run "
    "folder OUT.",
    "cmd.plan.examples": "relocation plan ws --out runs/base\n"
    "relocation plan ws --out runs/500 --set limits.max_moves_per_year=500\n"
    "relocation --lang en plan ws --out runs/base --time-limit 120",
    "cmd.demo.help": "Plan the embedded Bình Dương demo end to end (export it with "
    "export-demo to edit it).",
    "cmd.demo.examples": "relocation demo\nrelocation demo --out runs/demo --force",
    "cmd.map.help": "Re-render a run folder's map.html from its own files (in the chosen "
    "language).",
    "cmd.map.examples": "relocation --lang en map runs/base\nrelocation map runs/base --tiles osm",
    "cmd.map.run": "Run folder written by plan.",
    "cmd.map.tiles": "Base layer fetched from the internet when the map is opened: osm "
    "(OpenStreetMap). Default: none, the map needs no network.",
    "opt.outputs": "plans: each scenario's plan files only (fast, the default); all: also its "
    "workbook, GeoPackage and map (or later: relocation outputs RUN).",
    "cmd.outputs.help": "Write the deferred outputs (workbook, GeoPackage, map) of a run from "
    "its own files.\n\nA sweep writes each scenario's plan only (--outputs plans); this writes "
    "the rest for one run folder, or for every scenario with a plan of a sweep or Pareto "
    "folder.",
    "cmd.outputs.examples": "relocation outputs sweeps/quota\n"
    "relocation outputs runs/base --which map.html --missing",
    "cmd.pareto.help": "The cost-disruption Pareto front by the epsilon-constraint method.\n\n"
    "Each point is a lexicographic plan (least cost, then least disruption within a cost "
    "tolerance); OUT holds a run folder per point, pareto.csv and an offline pareto.html with "
    "the non-dominated points linked to their plans; points not proven within the gap are "
    "marked.",
    "cmd.pareto.examples": "relocation pareto ws --out fronts/demo\n"
    "relocation pareto ws --out fronts/demo --tolerances 0,1%,2%,5% --time-limit 60",
    "cmd.sweep.help": "Plan one scenario per quota floor or grid point, in parallel, and "
    "compare them.\n\n"
    "Writes OUT/scenarios/NAME/ (a run folder each), OUT/comparison.csv, .xlsx and "
    "OUT/report.html. Infeasible scenarios are recorded (their summary.json explains why) "
    "and the sweep goes on. Exits 4 when some scenario found no plan within its time limit "
    "(named); a rerun keeps the finished scenarios and solves those again.",
    "cmd.sweep.examples": "relocation sweep ws --out sweeps/quota "
    "--quota 0.25,0.30,0.35\n"
    "relocation sweep ws --out sweeps/grid --grid grid.toml",
    "cmd.sweep.out": "Sweep folder to write (or resume).",
    "cmd.sweep.quota": "Quota floors to sweep, e.g. 0.25,0.30,0.35.",
    "cmd.sweep.by_year": "Quota window swept by --quota (default: the first).",
    "cmd.sweep.grid": "Grid file: a [grid] table of dotted.key = [values], or "
    "[[scenarios]] (see the README, Scenario sweeps).",
    "cmd.sweep.workers_total": "CP-SAT threads for the whole sweep (default: all cores).",
    "cmd.sweep.scheduler": "Existing dask scheduler, tcp://HOST:PORT (default: a local "
    "cluster).",
    "cmd.sweep.force": "Solve every scenario again (no resuming).",
    "cmd.diff.help": "List firms that move earlier, later, elsewhere, no longer or newly in B "
    "than in A.",
    "cmd.diff.examples": "relocation diff runs/base runs/500\n"
    "relocation diff runs/base runs/500 --out diff.csv --limit 20",
    "cmd.diff.a": "Run folder A (the reference).",
    "cmd.diff.b": "Run folder B (compared with A).",
    "cmd.diff.out": "Also write the firm table as CSV.",
    "cmd.diff.limit": "Print at most N firms.",
    "cmd.replan.help": "Re-plan from what happened, keeping close to a baseline run (the "
    "annual review).",
    "cmd.replan.examples": "relocation replan ws --baseline runs/base --out "
    "runs/2026 --as-of 2026",
    "cmd.replan.workspace": "Workspace folder (its actuals: the facts).",
    "cmd.replan.baseline": "The baseline run folder.",
    "cmd.replan.as_of": "Last year of recorded facts (default: the year before the "
    "horizon's start).",
    "cmd.replan.actuals": "Actuals table replacing the workspace's.",
    "cmd.explain.help": "Explain a firm's move: its terms, its three best alternatives, the "
    "sites ruled out.",
    "cmd.explain.examples": "relocation explain runs/2026 BD00002\n"
    "relocation --lang en explain runs/2026 --all",
    "cmd.explain.run": "A run folder with a plan.",
    "cmd.explain.firm": "The firm to explain.",
    "cmd.explain.all": "Explain every firm into RUN/explanations.csv.",
    "cmd.keys.help": "List every scenario.toml setting a --set (or a grid file) can change: "
    "its meaning, type and default.",
    "cmd.keys.examples": "relocation keys\nrelocation keys costs\nrelocation --lang en keys",
    "cmd.keys.prefix": "Only the keys starting with this (e.g. costs or quota).",
    "examples": "Examples:",
    "help.usage": "Usage:",
    "help.help": "Show this message and exit.",
    "help.arguments": "Arguments",
    "help.options": "Options",
    "help.commands": "Commands",
    "help.required": "required",
    "help.default": "default: {default}",
    "help.missing_command": "Missing command.",
    "help.no_command": "No such command {name!r}.",
    # ---- outcomes
    "out.validate_ok": "OK: {summary} (scenario {name!r})",
    "out.count.firms": "{n:,} firms",
    "out.count.sites": "{n:,} sites",
    "out.count.zones": "{n:,} zones",
    "out.count.stations": "{n:,} stations",
    "out.count.sectors": "{n:,} sectors",
    "out.count.site_phases": "{n:,} site phases",
    "out.count.pairs": "{n:,} pairs",
    "out.exported": "Wrote the demo workspace to {dest} ({count} files)",
    "out.demo": "Planning the embedded Bình Dương demo ({path}) …",
    "out.wrote": "Wrote {path}",
    "out.explained": "{n:,} firms explained: {path}",
    "out.stopped": "stopped by {reason}: nothing written, {out} left as it was",
    "out.sweep_done": "Sweep of {n} scenarios in {out}/ ({bad} without a plan): "
    "comparison.csv, comparison.xlsx, report.html",
    "out.sweep_starved": "no plan within the time limit for {n} scenario(s): {names}; run "
    "the same command again to retry them (or allow more time, --time-limit)",
    "out.sweep_resume": "{n} scenario(s) are finished in {path}; run the same command again "
    "to resume",
    "out.sweep_line": "[{done}/{total}] {name}: {status}, {what}{kept}",
    "out.sweep_kept": " (kept from an earlier run)",
    "out.sweep_costs": "cost {cost} bn VND, disruption {disruption} bn VND",
    "out.sweep_infeasible": "infeasible",
    "out.sweep_best": "infeasible; highest achievable share {share}",
    "out.sweep_no_plan": "no plan within the time limit (a rerun tries again)",
    # ---- errors and their frame
    "err.summary": "error: {summary}: {counts}",
    "err.errors": "{n} error(s)",
    "err.warnings": "{n} warning(s)",
    "err.plain": "error: {text}",
    "err.infeasible": "infeasible: the scenario cannot be satisfied by the data",
    "err.interrupted": "interrupted",
    "err.terminated": "terminated",
    "err.internal": "internal error: {kind}: {text} (please report it)",
    "where.row": "{file}, row {row}",
    "where.line": "{file}, line {row}",
    "where.feature": "{file}, feature {row}",
    "where.column": "{where}, column {column}",
    "where.value": "{where} (value {value!r})",
    "frame.issue": "{where}: {message}",
    "frame.warning": "warning: {text}",
    "frame.keys_hint": "{message}; relocation keys lists them",
    # ---- input-error summaries (keyed by the English text the code raises)
    "summary.invalid": "the input is not valid",
    "summary.bad_input": "bad input",
    "summary.bad_setting": "bad setting",
    "summary.bad_option": "bad option",
    "summary.bad_set": "bad --set option",
    "summary.bad_quota": "bad --quota option",
    "summary.bad_scheduler": "bad --scheduler option",
    "summary.bad_grid": "bad grid file",
    "summary.bad_sweep": "bad sweep options",
    "summary.bad_out": "bad output path",
    "summary.overwrite": "refusing to overwrite",
    "summary.export": "cannot export the demo",
    "summary.actuals": "cannot read the actuals",
    "summary.grid": "cannot read the grid file",
    "summary.run": "cannot read the run",
    "summary.workspace": "cannot read the workspace",
    "summary.rebuild": "cannot rebuild the run",
    "summary.map": "cannot render the map",
    "summary.not_workspace": "{path} is not a valid workspace",
    "summary.not_actuals": "{path} is not a valid actuals table",
    "summary.run_at": "cannot read the run {path}",
    # ---- keys
    "keys.header": "{n} settings (--set KEY=VALUE, or a grid file's keys):",
    "keys.default": "default",
    "keys.none": "none",
    "keys.no_match": "no setting starts with {prefix!r}",
    "keys.item": "(N: item number, from 0)",
    "keys.id": "(ID: a site or zone id)",
    # ---- progress
    "progress.solving": "solving",
    "progress.line": "best {best} · bound {bound} · gap {gap}",
    "progress.waiting": "looking for a first plan …",
    # ---- the plan report
    "unit.bn": "{v} bn VND",
    "unit.bn_short": "{v} bn",
    "report.head": "Plan {status} for scenario {name!r}",
    "report.warnings": "{n} input warning(s):",
    "report.land_warning": "warning (freed land): {text}",
    "report.more_warnings": "… {n} more in summary.json (input_warnings)",
    "report.summary_file": "summary: {path}",
    "report.firms": "firms: {slated} slated, {before} moved before the horizon, "
    "{planned} planned moves",
    "report.per_year": "moves per year: {years}",
    "report.quota": "moved by {year}: {share} (window {low}–{high})",
    "report.cost": "cost: {cost} (public support {support}), disruption: {disruption} "
    "(discounted to the horizon start)",
    "report.objective": "objective {objective}, proven gap {gap}, solved in {seconds} s",
    "report.outputs": "outputs in {out}/: {files}",
    "replan.head": "annual review as of {year}:",
    "replan.history": "history: {text}",
    "replan.warning": "warning: {text}",
    "replan.changes": "{changed} of {baseline} baseline firms change site or year ({why}); "
    "changes.csv",
    "replan.none": "none",
    "replan.stability": "objective without the stability term {objective} (stability "
    "{stability})",
}

_VI: dict[str, str] = {
    "app.help": "Lập kế hoạch di dời doanh nghiệp (kèm dữ liệu mẫu Bình Dương).",
    "app.epilog": (
        "Ngôn ngữ: --lang vi|en hoặc RELOCATION_LANG (mặc định: tiếng Việt nếu locale là "
        "tiếng Việt, còn lại tiếng Anh). Mọi khoá của --set: relocation keys.\n\n"
        "Mã thoát: 0 xong, 2 dữ liệu vào sai, 3 không khả thi (có giải thích), 4 không có "
        "kế hoạch trong thời gian cho phép, 130 bị ngắt (Ctrl-C), 143 bị dừng."
    ),
    "opt.verbose": "Ghi nhật ký tiến trình.",
    "opt.lang": "Ngôn ngữ của thông báo, trợ giúp và bản đồ: vi hoặc en (mặc định: "
    "RELOCATION_LANG, nếu không thì theo locale).",
    "opt.lang_alias": "Như --lang chung (giữ cho các script cũ).",
    "opt.time_limit": "Giới hạn thời gian của bộ giải, giây (mặc định: của kịch bản, 60).",
    "opt.workers": "Số luồng CP-SAT (mặc định: của kịch bản, 2).",
    "opt.seed": "Hạt giống ngẫu nhiên (mặc định: của kịch bản, 0).",
    "opt.det_time": "Dừng theo thời gian tất định của CP-SAT thay vì đồng hồ (với "
    "--workers 1 và một hạt giống: tái lập được).",
    "opt.quiet": "Không hiển thị tiến trình.",
    "opt.force": "Thay thư mục kết quả nếu đã có.",
    "opt.set": "Ghi đè một thiết lập của scenario.toml: khoá.có.chấm=giá_trị (lặp lại được; "
    "relocation keys liệt kê các khoá).",
    "opt.out_run": "Thư mục lần chạy sẽ ghi.",
    "arg.workspace": "Thư mục dữ liệu (workspace).",
    "cmd.validate.help": "Kiểm tra một thư mục dữ liệu; in tóm tắt và cảnh báo, hoặc mọi lỗi "
    "(mã thoát 2).",
    "cmd.validate.examples": "relocation validate ws\n"
    "relocation --lang en validate ws",
    "cmd.validate.arg": "Thư mục dữ liệu cần kiểm tra.",
    "cmd.export_demo.help": "Ghi dữ liệu mẫu Bình Dương thành một thư mục dữ liệu.",
    "cmd.export_demo.examples": "relocation export-demo ws\n"
    "relocation export-demo ws --force",
    "cmd.export_demo.dest": "Thư mục sẽ tạo.",
    "cmd.export_demo.force": "Thay DEST nếu đã có và không rỗng.",
    "cmd.plan.help": "Lập kế hoạch cho một thư mục dữ liệu: doanh nghiệp nào chuyển đi đâu "
    "và khi nào. Ghi thư mục lần chạy OUT.",
    "cmd.plan.examples": "relocation plan ws --out runs/base\n"
    "relocation plan ws --out runs/500 --set limits.max_moves_per_year=500\n"
    "relocation --lang en plan ws --out runs/base --time-limit 120",
    "cmd.demo.help": "Lập kế hoạch trọn vẹn cho dữ liệu mẫu Bình Dương (xuất bằng "
    "export-demo để sửa).",
    "cmd.demo.examples": "relocation demo\nrelocation demo --out runs/demo --force",
    "cmd.map.help": "Vẽ lại map.html của một thư mục lần chạy từ chính các tệp của nó (theo "
    "ngôn ngữ đã chọn).",
    "cmd.map.examples": "relocation --lang en map runs/base\nrelocation map runs/base --tiles osm",
    "cmd.map.run": "Thư mục lần chạy do plan ghi.",
    "cmd.map.tiles": "Lớp nền tải từ internet khi mở bản đồ: osm (OpenStreetMap). Mặc định: "
    "không có, bản đồ không cần mạng.",
    "opt.outputs": "plans: chỉ các tệp kế hoạch của mỗi kịch bản (nhanh, mặc định); all: cả "
    "bảng tính, GeoPackage và bản đồ (hoặc sau đó: relocation outputs RUN).",
    "cmd.outputs.help": "Ghi các đầu ra hoãn lại (bảng tính, GeoPackage, bản đồ) của một lần "
    "chạy từ chính các tệp của nó.\n\nMột lượt quét chỉ ghi kế hoạch của mỗi kịch bản "
    "(--outputs plans); lệnh này ghi phần còn lại cho một thư mục kết quả, hoặc cho mọi kịch "
    "bản có kế hoạch của một thư mục quét hay biên Pareto.",
    "cmd.outputs.examples": "relocation outputs sweeps/quota\n"
    "relocation outputs runs/base --which map.html --missing",
    "cmd.pareto.help": "Biên Pareto chi phí – xáo trộn theo phương pháp ràng buộc epsilon.\n\n"
    "Mỗi điểm là một kế hoạch thứ bậc (chi phí thấp nhất, rồi xáo trộn thấp nhất trong một "
    "dung sai chi phí); OUT chứa một thư mục kết quả cho mỗi điểm, pareto.csv và pareto.html "
    "ngoại tuyến với các điểm không bị trội liên kết tới kế hoạch; điểm chưa chứng minh được "
    "trong sai số được đánh dấu.",
    "cmd.pareto.examples": "relocation pareto ws --out fronts/demo\n"
    "relocation pareto ws --out fronts/demo --tolerances 0,1%,2%,5% --time-limit 60",
    "cmd.sweep.help": "Lập kế hoạch cho mỗi mức sàn chỉ tiêu hoặc mỗi điểm lưới, song song, "
    "rồi so sánh.\n\n"
    "Ghi OUT/scenarios/NAME/ (mỗi kịch bản một thư mục lần chạy), OUT/comparison.csv, "
    ".xlsx và OUT/report.html. Kịch bản không khả thi được ghi lại (summary.json giải thích "
    "lý do) và việc quét tiếp tục. Mã thoát 4 khi có kịch bản không tìm được kế hoạch trong "
    "thời gian cho phép (có nêu tên); chạy lại sẽ giữ các kịch bản đã xong và giải lại "
    "những kịch bản đó.",
    "cmd.sweep.examples": "relocation sweep ws --out sweeps/quota "
    "--quota 0.25,0.30,0.35\n"
    "relocation sweep ws --out sweeps/grid --grid grid.toml",
    "cmd.sweep.out": "Thư mục quét sẽ ghi (hoặc tiếp tục).",
    "cmd.sweep.quota": "Các mức sàn chỉ tiêu cần quét, ví dụ 0.25,0.30,0.35.",
    "cmd.sweep.by_year": "Cửa sổ chỉ tiêu mà --quota quét (mặc định: cửa sổ đầu).",
    "cmd.sweep.grid": "Tệp lưới: bảng [grid] gồm khoá.có.chấm = [các giá trị], hoặc "
    "[[scenarios]] (xem README, Scenario sweeps).",
    "cmd.sweep.workers_total": "Số luồng CP-SAT cho cả lượt quét (mặc định: mọi lõi).",
    "cmd.sweep.scheduler": "Bộ lập lịch dask có sẵn, tcp://HOST:PORT (mặc định: một cụm cục "
    "bộ).",
    "cmd.sweep.force": "Giải lại mọi kịch bản (không tiếp tục).",
    "cmd.diff.help": "Liệt kê doanh nghiệp chuyển sớm hơn, muộn hơn, nơi khác, không còn "
    "chuyển hoặc mới chuyển trong B so với A.",
    "cmd.diff.examples": "relocation diff runs/base runs/500\n"
    "relocation diff runs/base runs/500 --out diff.csv --limit 20",
    "cmd.diff.a": "Thư mục lần chạy A (đối chiếu).",
    "cmd.diff.b": "Thư mục lần chạy B (so với A).",
    "cmd.diff.out": "Ghi thêm bảng doanh nghiệp ra CSV.",
    "cmd.diff.limit": "In tối đa N doanh nghiệp.",
    "cmd.replan.help": "Lập lại kế hoạch từ những gì đã diễn ra, bám sát một lần chạy gốc "
    "(rà soát hằng năm).",
    "cmd.replan.examples": "relocation replan ws --baseline runs/base --out "
    "runs/2026 --as-of 2026",
    "cmd.replan.workspace": "Thư mục dữ liệu (bảng actuals của nó: các sự kiện đã xảy ra).",
    "cmd.replan.baseline": "Thư mục lần chạy gốc.",
    "cmd.replan.as_of": "Năm cuối cùng có số liệu thực tế (mặc định: năm trước năm đầu của "
    "kỳ kế hoạch).",
    "cmd.replan.actuals": "Bảng actuals thay cho bảng của thư mục dữ liệu.",
    "cmd.explain.help": "Giải thích phương án di dời của một doanh nghiệp: các khoản chi phí, "
    "ba phương án thay thế tốt nhất, các địa điểm bị loại.",
    "cmd.explain.examples": "relocation explain runs/2026 BD00002\n"
    "relocation --lang en explain runs/2026 --all",
    "cmd.explain.run": "Thư mục lần chạy có kế hoạch.",
    "cmd.explain.firm": "Doanh nghiệp cần giải thích.",
    "cmd.explain.all": "Giải thích mọi doanh nghiệp vào RUN/explanations.csv.",
    "cmd.keys.help": "Liệt kê mọi thiết lập của scenario.toml mà --set (hoặc tệp lưới) có "
    "thể đổi: ý nghĩa, kiểu và giá trị mặc định.",
    "cmd.keys.examples": "relocation keys\nrelocation keys costs\nrelocation --lang en keys",
    "cmd.keys.prefix": "Chỉ các khoá bắt đầu bằng chuỗi này (ví dụ costs hoặc quota).",
    "examples": "Ví dụ:",
    "help.usage": "Cách dùng:",
    "help.help": "Hiện trợ giúp này rồi thoát.",
    "help.arguments": "Đối số",
    "help.options": "Tuỳ chọn",
    "help.commands": "Lệnh",
    "help.required": "bắt buộc",
    "help.default": "mặc định: {default}",
    "help.missing_command": "Thiếu lệnh.",
    "help.no_command": "Không có lệnh {name!r}.",
    "out.validate_ok": "Hợp lệ: {summary} (kịch bản {name!r})",
    "out.count.firms": "{n:,} doanh nghiệp",
    "out.count.sites": "{n:,} địa điểm",
    "out.count.zones": "{n:,} vùng",
    "out.count.stations": "{n:,} nhà ga",
    "out.count.sectors": "{n:,} ngành",
    "out.count.site_phases": "{n:,} giai đoạn địa điểm",
    "out.count.pairs": "{n:,} cặp",
    "out.exported": "Đã ghi thư mục dữ liệu mẫu vào {dest} ({count} tệp)",
    "out.demo": "Đang lập kế hoạch cho dữ liệu mẫu Bình Dương ({path}) …",
    "out.wrote": "Đã ghi {path}",
    "out.explained": "Đã giải thích {n:,} doanh nghiệp: {path}",
    "out.stopped": "bị dừng bởi {reason}: không ghi gì, {out} vẫn giữ nguyên",
    "out.sweep_done": "Đã quét {n} kịch bản trong {out}/ ({bad} không có kế hoạch): "
    "comparison.csv, comparison.xlsx, report.html",
    "out.sweep_starved": "không có kế hoạch trong thời gian cho phép cho {n} kịch bản: "
    "{names}; chạy lại cùng lệnh để thử lại (hoặc cho thêm thời gian, --time-limit)",
    "out.sweep_resume": "{n} kịch bản đã xong trong {path}; chạy lại cùng lệnh để tiếp tục",
    "out.sweep_line": "[{done}/{total}] {name}: {status}, {what}{kept}",
    "out.sweep_kept": " (giữ từ lần chạy trước)",
    "out.sweep_costs": "chi phí {cost} tỷ đồng, xáo trộn {disruption} tỷ đồng",
    "out.sweep_infeasible": "không khả thi",
    "out.sweep_best": "không khả thi; tỷ lệ cao nhất đạt được {share}",
    "out.sweep_no_plan": "không có kế hoạch trong thời gian cho phép (chạy lại sẽ thử tiếp)",
    "err.summary": "lỗi: {summary}: {counts}",
    "err.errors": "{n} lỗi",
    "err.warnings": "{n} cảnh báo",
    "err.plain": "lỗi: {text}",
    "err.infeasible": "không khả thi: dữ liệu không thể đáp ứng kịch bản",
    "err.interrupted": "đã bị ngắt",
    "err.terminated": "đã bị dừng",
    "err.internal": "lỗi nội bộ: {kind}: {text} (xin hãy báo lỗi này)",
    "where.row": "{file}, dòng {row}",
    "where.line": "{file}, dòng {row}",
    "where.feature": "{file}, đối tượng {row}",
    "where.column": "{where}, cột {column}",
    "where.value": "{where} (giá trị {value!r})",
    "frame.issue": "{where}: {message}",
    "frame.warning": "cảnh báo: {text}",
    "frame.keys_hint": "{message}; relocation keys liệt kê các khoá",
    "summary.invalid": "dữ liệu vào không hợp lệ",
    "summary.bad_input": "dữ liệu vào sai",
    "summary.bad_setting": "thiết lập sai",
    "summary.bad_option": "tuỳ chọn sai",
    "summary.bad_set": "tuỳ chọn --set sai",
    "summary.bad_quota": "tuỳ chọn --quota sai",
    "summary.bad_scheduler": "tuỳ chọn --scheduler sai",
    "summary.bad_grid": "tệp lưới sai",
    "summary.bad_sweep": "tuỳ chọn quét sai",
    "summary.bad_out": "đường dẫn kết quả sai",
    "summary.overwrite": "từ chối ghi đè",
    "summary.export": "không xuất được dữ liệu mẫu",
    "summary.actuals": "không đọc được bảng actuals",
    "summary.grid": "không đọc được tệp lưới",
    "summary.run": "không đọc được lần chạy",
    "summary.workspace": "không đọc được thư mục dữ liệu",
    "summary.rebuild": "không dựng lại được lần chạy",
    "summary.map": "không vẽ được bản đồ",
    "summary.not_workspace": "{path} không phải là thư mục dữ liệu hợp lệ",
    "summary.not_actuals": "{path} không phải là bảng actuals hợp lệ",
    "summary.run_at": "không đọc được lần chạy {path}",
    "keys.header": "{n} thiết lập (--set KHOÁ=GIÁ_TRỊ, hoặc khoá của tệp lưới):",
    "keys.default": "mặc định",
    "keys.none": "không có",
    "keys.no_match": "không có thiết lập nào bắt đầu bằng {prefix!r}",
    "keys.item": "(N: số thứ tự, từ 0)",
    "keys.id": "(ID: mã địa điểm hoặc mã vùng)",
    "progress.solving": "đang giải",
    "progress.line": "tốt nhất {best} · cận {bound} · sai số {gap}",
    "progress.waiting": "đang tìm kế hoạch đầu tiên …",
    "unit.bn": "{v} tỷ đồng",
    "unit.bn_short": "{v} tỷ",
    "report.head": "Kế hoạch {status} cho kịch bản {name!r}",
    "report.warnings": "{n} cảnh báo về dữ liệu vào:",
    "report.land_warning": "cảnh báo (đất giải phóng): {text}",
    "report.more_warnings": "… còn {n} cảnh báo trong summary.json (input_warnings)",
    "report.summary_file": "tóm tắt: {path}",
    "report.firms": "doanh nghiệp: {slated} phải di dời, {before} đã chuyển trước kỳ kế "
    "hoạch, {planned} lượt di dời theo kế hoạch",
    "report.per_year": "số lượt di dời mỗi năm: {years}",
    "report.quota": "đã chuyển đến hết {year}: {share} (cửa sổ {low}–{high})",
    "report.cost": "chi phí: {cost} (hỗ trợ công {support}), xáo trộn: {disruption} (chiết "
    "khấu về năm đầu kỳ)",
    "report.objective": "hàm mục tiêu {objective}, sai số tối ưu đã chứng minh {gap}, giải "
    "trong {seconds} giây",
    "report.outputs": "kết quả trong {out}/: {files}",
    "replan.head": "rà soát hằng năm tính đến {year}:",
    "replan.history": "lịch sử: {text}",
    "replan.warning": "cảnh báo: {text}",
    "replan.changes": "{changed} trên {baseline} doanh nghiệp của lần chạy gốc đổi địa điểm "
    "hoặc năm ({why}); changes.csv",
    "replan.none": "không có",
    "replan.stability": "hàm mục tiêu không kể khoản ổn định {objective} (khoản ổn định "
    "{stability})",
}

# The issue messages' wording lives in the domain (relocation/domain/issue_text.py), where
# geodata/ reads it to write its messages; here it joins the catalogue.
_EN.update({key: en for key, (en, _vi) in ISSUES.items()})
_VI.update({key: vi for key, (_en, vi) in ISSUES.items()})

#: The help framework's own English words and the keys translating them.
FRAMEWORK_KEYS = {
    "Arguments": "help.arguments",
    "Options": "help.options",
    "Commands": "help.commands",
    "required": "help.required",
    "default: {default}": "help.default",
    "Missing command.": "help.missing_command",
    "No such command {name!r}.": "help.no_command",
}

#: Every message in every language: ``CATALOGUE[lang][key]``.
CATALOGUE: dict[str, dict[str, str]] = {"en": _EN, "vi": _VI}


def placeholders(template: str) -> set[str]:
    """The field names of a ``str.format`` template (``{n:,}`` gives ``n``)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def t(lang: str, key: str, /, **values: Any) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in.

    Raises
    ------
    KeyError
        The key is not in the catalogue (a test keeps the catalogue complete).
    """
    template = CATALOGUE.get(lang, _EN)[key]
    return template.format(**values) if values else template


class _NumberFormatter(string.Formatter):
    """``str.format`` whose numbers follow the language's style (``1,300`` / ``1.300``).

    A value with a ``text(lang)`` method (an explanation note) is rendered in the same
    language; a list of them is joined by ``"; "``.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if hasattr(value, "text") and callable(value.text):
            return str(value.text(self.lang))
        if isinstance(value, (list, tuple)):
            return "; ".join(self.format_field(v, format_spec) for v in value)
        text = format(value, format_spec)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return number(text, self.lang)
        return text


def tn(lang: str, key: str, /, **values: Any) -> str:
    """Like :func:`t`, with every number in the language's style (``{n:,}``: 1.300 in vi).

    Raises
    ------
    KeyError
        The key is not in the catalogue.
    """
    lang = lang if lang in CATALOGUE else "en"
    return _NumberFormatter(lang).format(CATALOGUE[lang][key], **values)


def vi_locale(environ: Mapping[str, str]) -> bool:
    """True where the locale's messages are Vietnamese (``LC_ALL``, ``LC_MESSAGES``, ``LANG``)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return value.lower().startswith("vi")
    return False


def argv_language(argv: Sequence[str]) -> str | None:
    """The value of ``--lang X`` or ``--lang=X`` anywhere on a command line, if any."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found


def choose_language(explicit: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language of this command line: ``explicit``, ``RELOCATION_LANG``, else the locale.

    An unsupported ``explicit`` value is returned as given (the caller refuses it); an
    unsupported environment value is ignored.
    """
    env = os.environ if environ is None else environ
    if explicit:
        return explicit
    setting = env.get(LANG_ENV, "").strip().lower()
    if setting in LANGUAGES:
        return setting
    return "vi" if vi_locale(env) else "en"


def number(text: str, lang: str) -> str:
    """``text`` (written with ``,`` thousands and ``.`` decimals) in the language's style."""
    if lang != "vi":
        return text
    return text.translate(str.maketrans({",": ".", ".": ","}))


def bn(value: float, lang: str, short: bool = False) -> str:
    """Whole VND as billions: ``1,234.5 bn VND`` / ``1.234,5 tỷ đồng``."""
    return t(lang, "unit.bn_short" if short else "unit.bn", v=number(f"{value / 1e9:,.1f}", lang))


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """English templates of the ``summary.*`` and ``issue.*`` keys as regular expressions."""
    out = []
    for key, template in _EN.items():
        if not key.startswith(("summary.", "issue.")):
            continue
        pattern = ""
        seen: set[str] = set()
        for literal, name, _spec, _conv in string.Formatter().parse(template):
            pattern += re.escape(literal)
            if name:  # a field used twice must repeat what it matched the first time
                pattern += f"(?P={name})" if name in seen else f"(?P<{name}>.*?)"
                seen.add(name)
        out.append((re.compile(f"^{pattern}$", re.DOTALL), key))
    # Longer templates first, so that "missing required column…" wins over "missing".
    out.sort(key=lambda item: -len(_EN[item[1]]))
    return tuple(out)


def translate(text: str, lang: str) -> str:
    """An English summary or issue message in ``lang`` (as written when no template matches)."""
    if lang == "en" or not text:
        return text
    for pattern, key in _patterns():
        match = pattern.match(text)
        if match:
            values = match.groupdict()
            for name in _numeric_fields(_EN[key]):  # numbers the template formatted
                values[name] = number(values[name], lang)
            return _as_written(CATALOGUE[lang][key]).format(**values)
    # "quota.0: min_share (0.9) is above …": a setting's path, then a message.
    where, sep, rest = text.partition(": ")
    if sep and where and " " not in where:
        inner = translate(rest, lang)
        if inner != rest:
            return f"{where}: {inner}"
    return text


@lru_cache(maxsize=512)
def _numeric_fields(template: str) -> frozenset[str]:
    """Fields of ``template`` with a numeric format spec (``{n:,}``, ``{km:.1f}``)."""
    return frozenset(
        name for _, name, spec, _ in string.Formatter().parse(template)
        if name and spec and spec[-1] in "dfgn%" or (name and spec and "," in spec)
    )


@lru_cache(maxsize=512)
def _as_written(template: str) -> str:
    """``template`` without format specs and conversions: its values are already text."""
    out = ""
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out += literal.replace("{", "{{").replace("}", "}}")
        if name is not None:
            out += "{" + name + "}"
    return out


def format_issue(issue: InputIssue, lang: str) -> str:
    """One line for an issue: ``file, row R, column C (value 'v'): message`` in ``lang``.

    In English this is exactly :meth:`relocation.domain.errors.InputIssue.format`. An
    unknown ``--set`` key also says which command lists the keys.
    """
    lowered = issue.file.lower()
    if lowered.endswith(".toml"):
        word = "where.line"
    elif lowered.endswith((".geojson", ".gpkg")) or ".gpkg:" in lowered:
        word = "where.feature"
    else:
        word = "where.row"
    where = issue.file if issue.row is None else t(lang, word, file=issue.file, row=issue.row)
    if issue.column:
        where = t(lang, "where.column", where=where, column=issue.column)
    if issue.value is not None:
        where = t(lang, "where.value", where=where, value=issue.value)
    message = translate(issue.message, lang)
    if issue.file.startswith("--set") and issue.message.startswith("unknown key"):
        message = t(lang, "frame.keys_hint", message=message)
    text = t(lang, "frame.issue", where=where, message=message)
    return t(lang, "frame.warning", text=text) if issue.severity == "warning" else text


# ---- what each scenario.toml section and key means (``relocation keys``). The keys, types
# and defaults come from relocation/domain/scenario.py; a key without an entry here shows its
# field's description, if any.
_EN.update({
    "section.name": "the scenario's name",
    "section.description": "free text describing the scenario",
    "section.horizon": "planning years, inclusive",
    "section.quota": "windows: share of slated firms (by count) moved by the end of by_year",
    "section.limits": "yearly limits on the programme (none: no limit)",
    "section.weights": "weights of the objective terms, and how they are combined",
    "section.costs": "cost and disruption coefficients, whole VND (discounted to the "
    "horizon's start)",
    "section.rules": "rules that can be hard or soft",
    "section.freed_land": "classification of the land freed by moved firms",
    "section.solver": "CP-SAT settings (a time limit is always set)",
    "section.crs": "coordinate reference systems of CSV inputs and of the outputs",
    "section.overrides": "per-site opening years and per-zone deadlines replacing the tables'",
    "section.stability": "the replan's penalty for changing a baseline move",
    "section.clearance": "park clearance targets: every slated tenant of the park gone by by_year",
    "key.horizon.start": "first planning year",
    "key.horizon.end": "last planning year",
    "key.quota.N.by_year": "the window's year (moves up to its end count)",
    "key.quota.N.min_share": "least share of slated firms moved by then (0–1)",
    "key.quota.N.max_share": "largest share of slated firms moved by then (0–1)",
    "key.limits.max_moves_per_year": "most firms moved in one year",
    "key.limits.budget_vnd_per_year": "most relocation + support spending in one year, VND",
    "key.weights.mode": "weighted: minimise the weighted sum; lexicographic: cost first, then "
    "disruption",
    "key.weights.cost_tolerance": "lexicographic mode: how far above the least cost (share) "
    "the disruption stage may go",
    "key.costs.discount_rate": "yearly discount rate of costs",
    "key.costs.road_factor": "road km per great-circle km",
    "key.costs.permit_vnd": "fixed permit cost per firm, VND",
    "key.costs.support_vnd_per_worker": "public support per worker of a moved firm, VND",
    "key.costs.commute_vnd_per_worker_km": "one year's extra commuting cost per worker and "
    "km, VND",
    "key.rules.soft_quota": "true: a quota shortfall is allowed at a price instead of refused",
    "key.rules.quota_shortfall_vnd_per_firm": "price of each firm short of a soft quota, VND",
    "key.rules.preferred_sites": "penalty: other sites cost a penalty; strict: only "
    "preferred sites",
    "key.rules.closed_counts_in_quota": "a closed firm counts as moved in the quota windows",
    "key.freed_land.remediation_years": "years before a polluting parcel is usable",
    "key.freed_land.tod_core_m": "radius of a station's TOD core, m",
    "key.freed_land.tod_transition_m": "radius of a station's TOD transition ring, m",
    "key.solver.time_limit_s": "solver time limit, seconds (--time-limit)",
    "key.solver.deterministic_time_s": "CP-SAT deterministic time limit instead of the clock "
    "(--deterministic-time)",
    "key.solver.workers": "CP-SAT workers (--workers)",
    "key.solver.seed": "random seed (--seed)",
    "key.solver.relative_gap": "stop once the proven gap is below this share",
    "key.crs.input": "CRS of the lon/lat columns of CSV inputs",
    "key.crs.output": "CRS of the GeoPackage written",
    "key.overrides.site_available_from.ID": "year site ID opens (replaces the sites table)",
    "key.overrides.zone_deadline.ID": "year zone ID must be cleared by (replaces the zones "
    "table)",
    "key.stability.site_change_vnd": "cost of moving a firm to another site than the "
    "baseline's, VND",
    "key.stability.year_shift_vnd_per_year": "cost per year a firm's move shifts from the "
    "baseline's, VND",
})
_VI.update({
    "section.name": "tên kịch bản",
    "section.description": "mô tả kịch bản",
    "section.horizon": "các năm kế hoạch, tính cả hai đầu",
    "section.quota": "cửa sổ chỉ tiêu: tỷ lệ doanh nghiệp phải di dời (theo số lượng) đã "
    "chuyển đến hết by_year",
    "section.limits": "giới hạn hằng năm của chương trình (không có: không giới hạn)",
    "section.weights": "trọng số các thành phần của hàm mục tiêu và cách kết hợp",
    "section.costs": "hệ số chi phí và xáo trộn, đồng (chiết khấu về năm đầu kỳ)",
    "section.rules": "các quy tắc có thể cứng hoặc mềm",
    "section.freed_land": "phân loại đất giải phóng khi doanh nghiệp di dời",
    "section.solver": "thiết lập CP-SAT (luôn có giới hạn thời gian)",
    "section.crs": "hệ quy chiếu toạ độ của dữ liệu CSV đầu vào và của kết quả",
    "section.overrides": "năm mở cửa theo địa điểm và hạn chót theo vùng thay cho các bảng",
    "section.stability": "khoản phạt của lập lại kế hoạch khi đổi một phương án gốc",
    "section.clearance": "chỉ tiêu giải toả khu công nghiệp: mọi doanh nghiệp thuộc diện di dời "
    "trong khu đã chuyển đi trước hết năm by_year",
    "key.horizon.start": "năm kế hoạch đầu tiên",
    "key.horizon.end": "năm kế hoạch cuối cùng",
    "key.quota.N.by_year": "năm của cửa sổ (tính các lượt di dời đến hết năm đó)",
    "key.quota.N.min_share": "tỷ lệ tối thiểu doanh nghiệp đã chuyển đến lúc đó (0–1)",
    "key.quota.N.max_share": "tỷ lệ tối đa doanh nghiệp đã chuyển đến lúc đó (0–1)",
    "key.limits.max_moves_per_year": "số doanh nghiệp di dời tối đa trong một năm",
    "key.limits.budget_vnd_per_year": "chi tối đa cho di dời và hỗ trợ trong một năm, đồng",
    "key.weights.mode": "weighted: tối thiểu tổng có trọng số; lexicographic: chi phí trước, "
    "rồi đến xáo trộn",
    "key.weights.cost_tolerance": "chế độ lexicographic: bước xáo trộn được vượt chi phí nhỏ "
    "nhất bao nhiêu (tỷ lệ)",
    "key.costs.discount_rate": "tỷ lệ chiết khấu chi phí hằng năm",
    "key.costs.road_factor": "số km đường bộ trên mỗi km đường chim bay",
    "key.costs.permit_vnd": "chi phí giấy phép cố định mỗi doanh nghiệp, đồng",
    "key.costs.support_vnd_per_worker": "hỗ trợ công cho mỗi lao động của doanh nghiệp di "
    "dời, đồng",
    "key.costs.commute_vnd_per_worker_km": "chi phí đi lại tăng thêm một năm cho mỗi lao "
    "động và mỗi km, đồng",
    "key.rules.soft_quota": "true: cho phép thiếu chỉ tiêu với một mức giá thay vì từ chối",
    "key.rules.quota_shortfall_vnd_per_firm": "giá của mỗi doanh nghiệp thiếu so với chỉ "
    "tiêu mềm, đồng",
    "key.rules.preferred_sites": "penalty: địa điểm khác bị phạt; strict: chỉ địa điểm ưu "
    "tiên",
    "key.rules.closed_counts_in_quota": "doanh nghiệp đóng cửa được tính là đã di dời trong "
    "cửa sổ chỉ tiêu",
    "key.freed_land.remediation_years": "số năm trước khi thửa đất ô nhiễm dùng được",
    "key.freed_land.tod_core_m": "bán kính vùng lõi TOD quanh nhà ga, m",
    "key.freed_land.tod_transition_m": "bán kính vành đai chuyển tiếp TOD quanh nhà ga, m",
    "key.solver.time_limit_s": "giới hạn thời gian của bộ giải, giây (--time-limit)",
    "key.solver.deterministic_time_s": "giới hạn thời gian tất định của CP-SAT thay cho "
    "đồng hồ (--deterministic-time)",
    "key.solver.workers": "số luồng CP-SAT (--workers)",
    "key.solver.seed": "hạt giống ngẫu nhiên (--seed)",
    "key.solver.relative_gap": "dừng khi sai số tối ưu đã chứng minh nhỏ hơn tỷ lệ này",
    "key.crs.input": "hệ quy chiếu của các cột lon/lat trong CSV đầu vào",
    "key.crs.output": "hệ quy chiếu của GeoPackage được ghi",
    "key.overrides.site_available_from.ID": "năm địa điểm ID mở cửa (thay cho bảng sites)",
    "key.overrides.zone_deadline.ID": "năm vùng ID phải di dời xong (thay cho bảng zones)",
    "key.stability.site_change_vnd": "chi phí khi đưa doanh nghiệp tới địa điểm khác với "
    "phương án gốc, đồng",
    "key.stability.year_shift_vnd_per_year": "chi phí cho mỗi năm lệch so với năm của "
    "phương án gốc, đồng",
})

# ---- infeasibility explanations (relocation/infeasibility.py): each a Note's template.
# Numbers carry their format here and are shown in the language's style (1,300 / 1.300).
_EN.update({
    "infeas.no_site": "{n:,} mandatory firm(s) have no compatible site with land open by "
    "their zone's deadline or after they are ready: {names}",
    "infeas.before_over_ceiling": "{before:,} firms moved before {start} already exceed the "
    "ceiling of {share:.0%} by {year} ({hi:,} firms)",
    "infeas.due_over_ceiling": "{due:,} mandatory firms are due by {year}, but the ceiling of "
    "{share:.0%} allows only {allowed:,} moves by then",
    "infeas.capacity": "{share:.0%} by {year} needs {need:,} moves; the yearly processing "
    "capacity allows {k} × {cap:,} = {total:,}",
    "infeas.ready": "{share:.0%} by {year} needs {need:,} moves; only {ready:,} firms are "
    "ready and have compatible land open by {year}",
    "infeas.land": "{share:.0%} by {year} needs {need:,} moves; the {need:,} smallest ready "
    "firms need {smallest_ha:,.1f} ha but only {land_ha:,.1f} ha of land is open by {year}",
    "infeas.core_head": "these rules cannot all hold together:",
    "infeas.no_core": "the solver proved that no plan keeps every rule (no short set of "
    "conflicting rules was found in time)",
    "infeas.best_share": "the highest share achievable by {year} is {share:.1%}",
    "infeas.no_plan": "no plan within the time limit; allow more time (--time-limit)",
    "rule.quota_min": "at least {share:.0%} of the {n:,} slated firms moved by {year} "
    "({count:,} firms)",
    "rule.quota_max": "at most {share:.0%} moved by {year} ({count:,} firms)",
    "rule.capacity": "the land of {name} ({site}) open by {year}: {ha:,.1f} ha",
    "rule.moves": "the yearly processing capacity in {year}: {cap:,} moves",
    "rule.min_moves": "at least {n:,} moves in {year} while firms wait",
    "rule.move_group": "the firms of move group {group} move together",
    "rule.clearance": "park {park} is empty by {year}",
    "rule.budget": "the support budget in {year}: {vnd:,.0f} VND",
    "rule.deadline": "mandatory firm {firm} ({name}) moves by its zone's deadline {year}",
    "rule.other": "rule {key}",
    "rule.many_capacity": "{n} capacity rules, e.g. {sample} (together {ha:,.1f} ha in "
    "{years})",
    "rule.many_deadline": "{n} deadline rules, e.g. {sample}",
    # The solver's degraded answers (models/conflicts.py returns their codes).
    "search.feasible": "the guarded rules hold together: no conflict among them",
    "search.time_limit": "no conflicting rules found within {seconds:g} s (status {status})",
    "search.no_plan_relaxed": "no plan even without this window's minimum",
    "search.share_time_limit": "no plan found within {seconds:g} s (status {status})",
    "search.share_unproven": "time limit reached: the share is achievable, maybe not the "
    "highest",
})
_VI.update({
    "infeas.no_site": "{n:,} doanh nghiệp bắt buộc di dời không có địa điểm phù hợp với đất "
    "mở trước hạn chót của vùng hoặc sau khi doanh nghiệp sẵn sàng: {names}",
    "infeas.before_over_ceiling": "{before:,} doanh nghiệp đã chuyển trước năm {start} đã "
    "vượt mức trần {share:.0%} đến hết {year} ({hi:,} doanh nghiệp)",
    "infeas.due_over_ceiling": "{due:,} doanh nghiệp bắt buộc đến hạn di dời trước hết "
    "{year}, nhưng mức trần {share:.0%} chỉ cho phép {allowed:,} lượt di dời đến lúc đó",
    "infeas.capacity": "chỉ tiêu {share:.0%} đến hết {year} cần {need:,} lượt di dời; năng "
    "lực xử lý hằng năm chỉ cho phép {k} × {cap:,} = {total:,}",
    "infeas.ready": "chỉ tiêu {share:.0%} đến hết {year} cần {need:,} lượt di dời; chỉ có "
    "{ready:,} doanh nghiệp sẵn sàng và có đất phù hợp mở trước hết {year}",
    "infeas.land": "chỉ tiêu {share:.0%} đến hết {year} cần {need:,} lượt di dời; {need:,} "
    "doanh nghiệp sẵn sàng nhỏ nhất cần {smallest_ha:,.1f} ha nhưng đến hết {year} chỉ có "
    "{land_ha:,.1f} ha đất mở",
    "infeas.core_head": "các quy định sau không thể cùng được đáp ứng:",
    "infeas.no_core": "bộ giải đã chứng minh không có kế hoạch nào giữ được mọi quy định "
    "(không tìm kịp một tập ngắn các quy định mâu thuẫn nhau)",
    "infeas.best_share": "tỷ lệ cao nhất có thể đạt đến hết {year} là {share:.1%}",
    "infeas.no_plan": "không có kế hoạch trong thời gian cho phép; hãy cho thêm thời gian "
    "(--time-limit)",
    "rule.quota_min": "ít nhất {share:.0%} trong {n:,} doanh nghiệp phải di dời đã chuyển "
    "đến hết {year} ({count:,} doanh nghiệp)",
    "rule.quota_max": "nhiều nhất {share:.0%} đã chuyển đến hết {year} ({count:,} doanh "
    "nghiệp)",
    "rule.capacity": "đất của {name} ({site}) mở đến hết {year}: {ha:,.1f} ha",
    "rule.moves": "năng lực xử lý hằng năm trong năm {year}: {cap:,} lượt di dời",
    "rule.min_moves": "ít nhất {n:,} lượt di dời trong năm {year} khi còn doanh nghiệp chờ",
    "rule.move_group": "các doanh nghiệp của nhóm di dời {group} chuyển cùng nhau",
    "rule.clearance": "khu {park} không còn doanh nghiệp nào đến hết {year}",
    "rule.budget": "ngân sách hỗ trợ năm {year}: {vnd:,.0f} đồng",
    "rule.deadline": "doanh nghiệp bắt buộc {firm} ({name}) di dời trước hạn chót {year} "
    "của vùng",
    "rule.other": "quy định {key}",
    "rule.many_capacity": "{n} quy định về quỹ đất, ví dụ {sample} (tổng cộng {ha:,.1f} ha "
    "trong các năm {years})",
    "rule.many_deadline": "{n} quy định về hạn chót, ví dụ {sample}",
    "search.feasible": "các quy định được bảo vệ cùng được đáp ứng: không có mâu thuẫn",
    "search.time_limit": "không tìm được quy định mâu thuẫn trong {seconds:g} giây (trạng "
    "thái {status})",
    "search.no_plan_relaxed": "không có kế hoạch ngay cả khi bỏ mức tối thiểu của cửa sổ này",
    "search.share_time_limit": "không tìm được kế hoạch trong {seconds:g} giây (trạng thái "
    "{status})",
    "search.share_unproven": "hết thời gian: tỷ lệ này đạt được, nhưng có thể chưa phải cao "
    "nhất",
})

# ---- relocation diff (relocation/diff.py)
_EN.update({
    "diff.head": "B = {b} compared with A = {a} (VND bn, B − A)",
    "diff.total": "{what} {a} → {b}  ({delta})",
    "diff.objective": "objective",
    "diff.cost": "cost",
    "diff.disruption": "disruption",
    "diff.by_term": "by term: {terms}",
    "diff.changed": "firms changed: {n}",
    "diff.more": "… {n} more (see --out)",
    "diff.change.earlier": "earlier",
    "diff.change.later": "later",
    "diff.change.elsewhere": "elsewhere",
    "diff.change.elsewhere_earlier": "elsewhere+earlier",
    "diff.change.elsewhere_later": "elsewhere+later",
    "diff.change.no_longer": "no longer",
    "diff.change.newly": "newly",
    "diff.col.firm_id": "firm_id",
    "diff.col.firm_name": "firm_name",
    "diff.col.change": "change",
    "diff.col.year": "year A→B",
    "diff.col.site": "site A→B",
    "diff.col.delta": "Δ VND bn",
})
_VI.update({
    "diff.head": "B = {b} so với A = {a} (tỷ đồng, B − A)",
    "diff.total": "{what} {a} → {b}  ({delta})",
    "diff.objective": "mục tiêu",
    "diff.cost": "chi phí",
    "diff.disruption": "xáo trộn",
    "diff.by_term": "theo khoản: {terms}",
    "diff.changed": "doanh nghiệp thay đổi: {n}",
    "diff.more": "… còn {n} doanh nghiệp (xem --out)",
    "diff.change.earlier": "sớm hơn",
    "diff.change.later": "muộn hơn",
    "diff.change.elsewhere": "nơi khác",
    "diff.change.elsewhere_earlier": "nơi khác và sớm hơn",
    "diff.change.elsewhere_later": "nơi khác và muộn hơn",
    "diff.change.no_longer": "không còn di dời",
    "diff.change.newly": "mới di dời",
    "diff.col.firm_id": "mã DN",
    "diff.col.firm_name": "tên doanh nghiệp",
    "diff.col.change": "thay đổi",
    "diff.col.year": "năm A→B",
    "diff.col.site": "địa điểm A→B",
    "diff.col.delta": "Δ tỷ đồng",
})

# ---- reading a run folder (relocation/run_folder.py check_run_folder, relocation/diff.py):
# keyed by the English text, as the issue messages above.
_EN.update({
    "summary.run_compare": "cannot compare the run",
    "summary.run_draw": "cannot draw the run",
    "summary.run_outputs": "cannot write the outputs of the run",
    "issue.no_run": "no such run folder",
    "issue.not_run": "missing: not a run folder",
    "issue.bad_json": "bad JSON: {why}",
    "issue.not_summary": "not a run summary (expected a JSON object)",
    "issue.no_plan_compare": "the run has no plan to compare (status {status})",
    "issue.no_plan_draw": "the run has no plan to draw (status {status})",
    "issue.no_plan_read": "the run has no plan to read (status {status})",
    "issue.no_plan_outputs": "the run has no plan to write the outputs of (status {status})",
    "issue.scheduled_twice": "firm scheduled twice",
    "issue.changed_input": "changed since the run (its hash differs from the run's "
    "summary.json); plan again",
})
_VI.update({
    "summary.run_compare": "không so sánh được lần chạy",
    "summary.run_draw": "không vẽ được lần chạy",
    "summary.run_outputs": "không ghi được các đầu ra của lần chạy",
    "issue.no_run": "không có thư mục lần chạy này",
    "issue.not_run": "thiếu: không phải thư mục lần chạy",
    "issue.bad_json": "JSON sai: {why}",
    "issue.not_summary": "không phải tóm tắt của lần chạy (cần một đối tượng JSON)",
    "issue.no_plan_compare": "lần chạy không có kế hoạch để so sánh (trạng thái {status})",
    "issue.no_plan_draw": "lần chạy không có kế hoạch để vẽ (trạng thái {status})",
    "issue.no_plan_read": "lần chạy không có kế hoạch để đọc (trạng thái {status})",
    "issue.no_plan_outputs": "lần chạy không có kế hoạch để ghi các đầu ra (trạng thái "
    "{status})",
    "issue.scheduled_twice": "doanh nghiệp có hai lịch di dời",
    "issue.changed_input": "đã thay đổi từ sau lần chạy (mã băm khác với summary.json của "
    "lần chạy); hãy lập lại kế hoạch",
})

# ---- freed land after a plan (figures: relocation/domain/land_ledger.py summary_figures)
_EN.update({
    "land.totals": "freed land by {end}: {freed_ha:,.1f} ha freed ({parcels:,} parcels, "
    "{before_ha:,.1f} ha of firms moved before the horizon), {usable_ha:,.1f} ha usable, "
    "{waiting_ha:,.1f} ha awaiting remediation",
    "land.usable_by_class": "usable by {end}: {classes}",
    "land.waiting_by_class": "awaiting remediation in {end}, by planned use: {classes}",
    "land.social_housing": "social housing usable by {end}: {units:,} units on {ha:,.1f} ha",
    "land.province": "{delivered} = {share:.1%} of the province's {province_units:,} units by "
    "{province_by_year}",
    "land.delivered": " ({delivered:,} by {counted_by_year})",
    "land.targets": "social-housing targets by {year}: {met} of {zones} zones met, {units:,} of "
    "{goal:,} units, land shortfall {short_ha:,.1f} ha",
    "land.classes_only": "freed land: {classes}",
    "land.class": "{name} {ha:,.1f} ha",
    "land.degraded": "{year}: social-housing land: CP-SAT found no allocation within "
    "{seconds:g} s (status {status}); parcels chosen greedily by least value per m² (targets "
    "met as far as the land allows, more valuable land may be used)",
})
_VI.update({
    "land.totals": "đất giải phóng đến hết {end}: {freed_ha:,.1f} ha đã giải phóng ({parcels:,} "
    "thửa, trong đó {before_ha:,.1f} ha của doanh nghiệp đã di dời trước kỳ kế hoạch), "
    "{usable_ha:,.1f} ha sử dụng được, {waiting_ha:,.1f} ha chờ xử lý môi trường",
    "land.usable_by_class": "sử dụng được đến hết {end}: {classes}",
    "land.waiting_by_class": "chờ xử lý môi trường năm {end}, theo mục đích dự kiến: {classes}",
    "land.social_housing": "nhà ở xã hội trên đất sử dụng được đến hết {end}: {units:,} căn "
    "trên {ha:,.1f} ha",
    "land.province": "{delivered} = {share:.1%} chỉ tiêu {province_units:,} căn của tỉnh đến "
    "{province_by_year}",
    "land.delivered": " ({delivered:,} căn đến hết {counted_by_year})",
    "land.targets": "chỉ tiêu nhà ở xã hội đến hết {year}: {met}/{zones} khu vực đạt, "
    "{units:,}/{goal:,} căn, thiếu {short_ha:,.1f} ha đất",
    "land.classes_only": "đất giải phóng: {classes}",
    "land.class": "{name} {ha:,.1f} ha",
    "land.degraded": "{year}: đất nhà ở xã hội: CP-SAT không tìm được phương án phân bổ trong "
    "{seconds:g} giây (trạng thái {status}); các thửa được chọn tham lam theo giá trị trên m² "
    "thấp nhất (đạt chỉ tiêu trong chừng mực quỹ đất cho phép, có thể dùng đất giá trị hơn)",
})

# ---- relocation outputs and relocation pareto (relocation/cli.py)
_EN.update({
    "cmd.outputs.run": "Run folder, or a sweep or Pareto folder.",
    "cmd.outputs.which": "Outputs to write: schedule.xlsx,plan.gpkg,map.html (default all).",
    "cmd.outputs.workspace": "The workspace, when it has moved since the run.",
    "cmd.outputs.missing": "Write only the outputs a folder lacks.",
    "cmd.pareto.out": "Pareto folder to write (or resume).",
    "cmd.pareto.tolerances": "Cost tolerances ε, shares or percentages, e.g. 0,0.5%,1%,2% "
    "(default 0,0.25%,0.5%,1%,2%,4%,8%).",
    "cmd.pareto.gap": "A point is proven when its gap is at most this share (default: the "
    "scenario's solver.relative_gap, 0.001).",
    "cmd.pareto.workers_total": "CP-SAT threads for the whole run (default: all cores).",
    "cmd.pareto.force": "Solve every point again (no resuming).",
    "out.outputs_none": "{run}: every output is already there ({files})",
    "out.outputs_wrote": "Wrote {files} in {run}",
    "out.pareto_point": "[{done}/{total}] {name} (ε = {tol:.2%}): {status}, {what}{kept}",
    "out.pareto_plan": "cost {cost:,.1f} bn VND, disruption {dis:,.1f} bn VND, gap {gap}",
    "out.pareto_no_plan": "no plan",
    "out.pareto_done": "Pareto front of {n} points in {out}/: {front} non-dominated, "
    "{unproven} not proven within {gap:.2%}: pareto.csv, pareto.html",
    "out.pareto_starved": "no plan within the time limit for {n} point(s): {names}; run the "
    "same command again to retry them (or allow more time, --time-limit)",
    "out.pareto_stopped": "{n} point(s) are finished in {out}/scenarios; run the same "
    "command again to resume",
})
_VI.update({
    "cmd.outputs.run": "Thư mục lần chạy, hoặc thư mục quét hay biên Pareto.",
    "cmd.outputs.which": "Các đầu ra cần ghi: schedule.xlsx,plan.gpkg,map.html (mặc định: "
    "tất cả).",
    "cmd.outputs.workspace": "Thư mục dữ liệu, khi nó đã được chuyển chỗ sau lần chạy.",
    "cmd.outputs.missing": "Chỉ ghi các đầu ra mà thư mục còn thiếu.",
    "cmd.pareto.out": "Thư mục biên Pareto sẽ ghi (hoặc tiếp tục).",
    "cmd.pareto.tolerances": "Các dung sai chi phí ε, dạng tỷ lệ hoặc phần trăm, ví dụ "
    "0,0.5%,1%,2% (mặc định 0,0.25%,0.5%,1%,2%,4%,8%).",
    "cmd.pareto.gap": "Một điểm được coi là đã chứng minh khi sai số tối ưu không vượt quá tỷ "
    "lệ này (mặc định: solver.relative_gap của kịch bản, 0.001).",
    "cmd.pareto.workers_total": "Số luồng CP-SAT cho cả lần chạy (mặc định: mọi lõi).",
    "cmd.pareto.force": "Giải lại mọi điểm (không tiếp tục).",
    "out.outputs_none": "{run}: mọi đầu ra đã có sẵn ({files})",
    "out.outputs_wrote": "Đã ghi {files} trong {run}",
    "out.pareto_point": "[{done}/{total}] {name} (ε = {tol:.2%}): {status}, {what}{kept}",
    "out.pareto_plan": "chi phí {cost:,.1f} tỷ đồng, xáo trộn {dis:,.1f} tỷ đồng, sai số tối "
    "ưu {gap}",
    "out.pareto_no_plan": "không có kế hoạch",
    "out.pareto_done": "Biên Pareto gồm {n} điểm trong {out}/: {front} điểm không bị trội, "
    "{unproven} điểm chưa chứng minh được trong {gap:.2%}: pareto.csv, pareto.html",
    "out.pareto_starved": "không có kế hoạch trong thời gian cho phép cho {n} điểm: {names}; "
    "chạy lại cùng lệnh để thử lại (hoặc cho thêm thời gian, --time-limit)",
    "out.pareto_stopped": "{n} điểm đã xong trong {out}/scenarios; chạy lại cùng lệnh để tiếp "
    "tục",
})

# ---- the annual review (relocation/replan.py): history windows and warnings
_EN.update({
    "replan.window_met": "the {year} window ({lo_share:.0%}–{hi_share:.0%}) was met: {moved:,} "
    "of {n:,} firms ({share:.1%}) had moved",
    "replan.window_short": "the {year} window was missed by {short:,} firms: {moved:,} of "
    "{n:,} ({share:.1%}) had moved, at least {lo:,} ({lo_share:.0%}) were due",
    "replan.window_over": "the {year} window was exceeded by {over:,} firms: {moved:,} of "
    "{n:,} had moved, at most {hi:,} ({hi_share:.0%}) were allowed",
    "replan.unrecorded": "{n:,} firm(s) had a baseline move in or before {year} with no "
    "actuals row: the move did not happen, they are re-planned from {next} (e.g. {ids})",
})
_VI.update({
    "replan.window_met": "cửa sổ {year} ({lo_share:.0%}–{hi_share:.0%}) đã đạt: {moved:,} "
    "trên {n:,} doanh nghiệp ({share:.1%}) đã di dời",
    "replan.window_short": "cửa sổ {year} còn thiếu {short:,} doanh nghiệp: {moved:,} trên "
    "{n:,} ({share:.1%}) đã di dời, cần ít nhất {lo:,} ({lo_share:.0%})",
    "replan.window_over": "cửa sổ {year} bị vượt {over:,} doanh nghiệp: {moved:,} trên {n:,} "
    "đã di dời, chỉ cho phép tối đa {hi:,} ({hi_share:.0%})",
    "replan.unrecorded": "{n:,} doanh nghiệp có lượt di dời theo kế hoạch gốc trong hoặc "
    "trước {year} mà không có dòng actuals: việc di dời chưa diễn ra, chúng được lập lại kế "
    "hoạch từ {next} (ví dụ {ids})",
})

# ---- command-line options and run folders refused by the application (keyed by the
# English text, as the issue messages of relocation/domain/issue_text.py)
_EN.update({
    "summary.bad_tolerances": "bad --tolerances option",
    "issue.share_0_1": "must be a share in 0–1",
    "issue.share_0_1_pct": "must be a share in 0–1 (0–100%)",
    "issue.no_tolerance": "no tolerance given",
    "issue.no_quota_floor": "no quota floor given",
    "issue.no_quota_window": "the scenario has no quota window: pass --by-year",
    "issue.quota_or_grid": "give exactly one of --quota and --grid",
    "issue.by_year_with_quota": "--by-year goes with --quota (a grid names its windows)",
    "issue.grid_no_scenario": "the grid file defines no scenario",
    "issue.grid_too_many": "{n} scenarios; at most {limit}",
    "issue.as_of_no_year": "leaves no year to plan: the horizon ends in {end}",
    "issue.fact_after_review": "a '{status}' row must be dated in or before the review year "
    "{year} (--as-of)",
    "issue.committed_after_review": "a committed move must be after the review year {year} "
    "(record it as 'moved' if it happened)",
    "issue.run_workspace_gone": "the run's workspace folder is not there",
    "issue.not_run_with_plan": "not a run folder with a plan (missing {files})",
})
_VI.update({
    "summary.bad_tolerances": "tuỳ chọn --tolerances sai",
    "issue.share_0_1": "phải là tỷ lệ trong khoảng 0–1",
    "issue.share_0_1_pct": "phải là tỷ lệ trong khoảng 0–1 (0–100%)",
    "issue.no_tolerance": "chưa cho dung sai nào",
    "issue.no_quota_floor": "chưa cho mức sàn chỉ tiêu nào",
    "issue.no_quota_window": "kịch bản không có cửa sổ chỉ tiêu: hãy thêm --by-year",
    "issue.quota_or_grid": "cho đúng một trong hai: --quota hoặc --grid",
    "issue.by_year_with_quota": "--by-year đi cùng --quota (tệp lưới tự nêu các cửa sổ)",
    "issue.grid_no_scenario": "tệp lưới không định nghĩa kịch bản nào",
    "issue.grid_too_many": "{n} kịch bản; tối đa {limit}",
    "issue.as_of_no_year": "không còn năm nào để lập kế hoạch: kỳ kế hoạch kết thúc năm {end}",
    "issue.fact_after_review": "dòng '{status}' phải có năm trong hoặc trước năm rà soát "
    "{year} (--as-of)",
    "issue.committed_after_review": "một cam kết di dời phải sau năm rà soát {year} (ghi là "
    "'moved' nếu đã diễn ra)",
    "issue.run_workspace_gone": "không còn thư mục dữ liệu của lần chạy",
    "issue.not_run_with_plan": "không phải thư mục lần chạy có kế hoạch (thiếu {files})",
})

# ---- merged from the conversion work: converted parcels and park clearance history
_EN.update({
    "land.converted": "converted in place by {end} (not freed): {parcels:,} parcels, "
    "{ha:,.1f} ha",
    "replan.clearance_met": "the clearance of park {park} by {year} was met: its {n:,} firms "
    "had left",
    "replan.clearance_missed": "the clearance of park {park} by {year} was missed: "
    "{remaining:,} of its {n:,} firms had not left (they are planned from {next})",
})
_VI.update({
    "land.converted": "chuyển đổi tại chỗ đến hết {end} (không tính là đất giải phóng): "
    "{parcels:,} thửa, {ha:,.1f} ha",
    "replan.clearance_met": "chỉ tiêu giải toả khu {park} đến hết {year} đã đạt: cả {n:,} "
    "doanh nghiệp đã rời đi",
    "replan.clearance_missed": "chỉ tiêu giải toả khu {park} đến hết {year} chưa đạt: "
    "{remaining:,} trên {n:,} doanh nghiệp chưa rời đi (được lập kế hoạch từ {next})",
})
