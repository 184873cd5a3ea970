"""A province-scale sample inbox: more submitters and files as well as more applications.

The 2022 sample (generator.py) has the 23 submitters of the 2022 reference data. At scale,
each further submitter is a copy of one of them (a region or a department): its files of
the year — roster, post structure, directed posts, work events, the odd scan — with the
template's layout, date and yes/no styles, blank rows, footers and quarantined rows; its
applications are drawn from the template's roster rows (so the injected breaches recur
with them) under new application numbers, ID numbers and names, and the committees'
result files gain an outcome for each drawn application that had one.

Further submitters need reference rows (regions / departments, and each region's
application window in policy_calendar). They are written to a seeds folder of the caller's
choosing — a copy of seeds/ plus those rows — never into seeds/: run the pipeline with
``ZHICHENG_SEEDS=<that folder>`` (settings.seeds_dir). The ground truth of the 2022 sample
does not hold at scale, so a scaled inbox has no ground_truth.csv; the expected-sheets and
expected-quarantine manifests cover every file.
"""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from dagster_project import forms
from dagster_project.ingest import idcard
from dagster_project.sample import writers as W
from dagster_project.sample.generator import Generator
from dagster_project.settings import SEEDS_DIR

# Templates whose files stand alone (150103's two rosters supersede one another: not copied).
REGION_TEMPLATES = ("150102", "150104", "150105", "150121", "150123", "150124", "150125", "150172", "150123401")
DEPARTMENT_TEMPLATES = ("D-GXJ", "D-JYJ", "D-KJJ", "D-LCJ", "D-NMJ", "D-SWJ", "D-WJW", "D-WLJ", "D-ZJJ")
CLONED_FORMS = {"F1", "F2", "F3", "F4"}


@dataclass(frozen=True)
class ScaledInbox:
    inbox: Path
    seeds_dir: Path
    submitters: int
    files: int
    applications: int  # F1 rows of the year written (loaded or quarantined)


def _append_csv(path: Path, rows: list[dict]) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    with path.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writerows(rows)


class ScaledGenerator(Generator):
    """The 2022 generator, then ``extra`` copied submitters sharing ``extra_applications``."""

    def __init__(self, seed: int, applications: int, year: int, *, extra: int, extra_applications: int):
        super().__init__(seed, applications, year)
        self.extra = extra
        self.extra_applications = extra_applications
        self.region_rows: list[dict] = []
        self.department_rows: list[dict] = []
        self.calendar_rows: list[dict] = []
        self.extra_written: list[W.WrittenRow] = []
        self.extra_sheets: dict[tuple[str, str], str] = {}
        self.extra_files = 0
        self.extra_roster_rows = 0

    # ------------------------------------------------------------ templates
    def _template_files(self, code: str) -> list[W.FileSpec]:
        prefix = f"{self.year}/{code}/"
        out = []
        for spec in self.files:
            if not spec.relpath.startswith(prefix):
                continue
            if any(s.form is not None and s.form.code not in CLONED_FORMS for s in spec.sheets):
                continue
            out.append(spec)
        return out

    def _outcome_index(self) -> dict[str, list[tuple[W.SheetSpec, dict]]]:
        index: dict[str, list[tuple[W.SheetSpec, dict]]] = defaultdict(list)
        prefix = f"{self.year}/"
        for spec in self.files:
            if not spec.relpath.startswith(prefix):
                continue
            for sheet in spec.sheets:
                if sheet.form is forms.F5:
                    for row in sheet.rows:
                        if "__q__" not in row:
                            index[str(row["application_no"])].append((sheet, row))
        return index

    def _clone_codes(self) -> list[tuple[str, str]]:
        """(new code, template code) for each further submitter: about two regions for one department."""
        pairs = []
        for k in range(self.extra):
            if k % 3 == 2:
                template = DEPARTMENT_TEMPLATES[(k // 3) % len(DEPARTMENT_TEMPLATES)]
                pairs.append((f"D-S{k + 1:04d}", template))
            else:
                template = REGION_TEMPLATES[(k - k // 3) % len(REGION_TEMPLATES)]
                pairs.append((f"159{k + 1:04d}", template))
        return pairs

    # ------------------------------------------------------------- copying
    def _new_application(self, a: dict, outcomes) -> dict:
        """A copy of roster row ``a`` as another person's application (same birth date and gender)."""
        new = dict(a)
        if "__raw__" in new:
            new["__raw__"] = {
                k: v for k, v in new["__raw__"].items() if k not in ("application_no", "id_number", "name")
            }
        new["application_no"] = self.app_no("" if str(a["application_no"]).isdigit() else "ZC")
        new["id_number"] = self.new_id(a["id_number"][:6], idcard.birth_date(a["id_number"]), a["gender"] == "男")
        new["name"] = self.name()
        for sheet, row in outcomes.get(str(a["application_no"]), ()):
            sheet.rows.append(
                {**row, "application_no": new["application_no"], "id_number": new["id_number"], "name": new["name"]}
            )
        return new

    def _clone_sheet(self, sheet: W.SheetSpec, code: str, n_rows: int, outcomes) -> W.SheetSpec:
        rows = sheet.rows
        if sheet.form is forms.F1:
            bad = [dict(r) for r in rows if "__q__" in r]
            good = [r for r in rows if "__q__" not in r]
            drawn = [self._new_application(self.rng.choice(good), outcomes) for _ in range(n_rows)] if good else []
            rows = drawn + bad
            for i, r in enumerate(rows, 1):
                r["seq_no"] = i
        else:
            rows = [dict(r) for r in rows]
        clone = W.SheetSpec(**{**sheet.__dict__, "rows": rows})
        if sheet.title:
            clone.title = tuple(
                line.replace(self.subs[self._template]["name"], self._clone_name) for line in sheet.title
            )
        return clone

    def _reference_rows(self, code: str, template: str, k: int) -> None:
        if template.startswith("D-"):
            self._clone_name = f"基准测试主管部门{k:04d}"
            self.department_rows.append({"department_code": code, "department_name": self._clone_name})
            return
        region = self.ref.regions[template]
        self._clone_name = f"基准测试{region['region_kind']}{k:04d}"
        self.region_rows.append({**region, "region_code": code, "region_name": self._clone_name})
        with (SEEDS_DIR / "policy_calendar.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["scope_type"] == "submitter" and row["scope_code"] == template:
                    self.calendar_rows.append({**row, "scope_code": code})

    def _write_clones(self, out: Path) -> None:
        outcomes = self._outcome_index()
        templates = {t: self._template_files(t) for t in REGION_TEMPLATES + DEPARTMENT_TEMPLATES}
        sizes = {
            t: sum(len(s.rows) for f in files for s in f.sheets if s.form is forms.F1) for t, files in templates.items()
        }
        pairs = self._clone_codes()
        weight = sum(sizes[t] for _, t in pairs) or 1
        left = self.extra_applications
        for k, (code, template) in enumerate(pairs, 1):
            self._template = template
            self._reference_rows(code, template, k)
            share = left if k == len(pairs) else round(self.extra_applications * sizes[template] / weight)
            share = min(share, left)
            left -= share
            roster_sheets = [s for f in templates[template] for s in f.sheets if s.form is forms.F1]
            total = sum(len(s.rows) for s in roster_sheets) or 1
            for spec in templates[template]:
                sheets = []
                for sheet in spec.sheets:
                    n = round(share * len(sheet.rows) / total) if sheet.form is forms.F1 else 0
                    sheets.append(self._clone_sheet(sheet, code, n, outcomes) if sheet.form else sheet)
                relpath = spec.relpath.replace(f"/{template}/", f"/{code}/", 1)
                clone = W.FileSpec(**{**spec.__dict__, "relpath": relpath, "sheets": sheets})
                written = W.write_file(out, clone)
                self.extra_files += 1
                for s in clone.sheets:
                    form = s.form.code if s.form else forms.UNRECOGNISED
                    self.extra_sheets[(relpath, s.name)] = form
                if clone.kind == "raw":
                    self.extra_sheets[(relpath, Path(relpath).name)] = forms.UNRECOGNISED
                self.extra_roster_rows += sum(1 for w in written if w.form == "F1")
                self.extra_written += written

    # --------------------------------------------------------------- write
    def write(self, out: Path) -> Path:
        out.mkdir(parents=True, exist_ok=True)
        self._write_clones(out)
        truth = super().write(out)
        truth.unlink()  # the 2022 ground truth does not hold for the copies
        with (out / "expected_quarantine.csv").open("a", encoding="utf-8", newline="") as fh:
            cw = csv.writer(fh, lineterminator="\n")
            for w in sorted(self.extra_written, key=lambda w: (w.file, w.sheet, w.row)):
                if w.quarantine:
                    cw.writerow((w.file, w.sheet, w.row, w.form, w.quarantine))
        counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for w in self.extra_written:
            counts[(w.file, w.sheet)][0] += 1
            counts[(w.file, w.sheet)][1] += bool(w.quarantine)
        with (out / "expected_sheets.csv").open("a", encoding="utf-8", newline="") as fh:
            cw = csv.writer(fh, lineterminator="\n")
            for (f, s), form in sorted(self.extra_sheets.items()):
                read, quarantined = counts.get((f, s), (0, 0))
                cw.writerow((f, s, form, read, quarantined))
        return out


def write_seeds(seeds_dir: Path, gen: ScaledGenerator) -> Path:
    """seeds/ copied to ``seeds_dir`` (which must not be seeds/), plus the further submitters' rows."""
    seeds_dir = Path(seeds_dir)
    if seeds_dir.resolve() == SEEDS_DIR.resolve():
        raise ValueError("规模化样例的参考数据不能写入 seeds/（seeds/ 只存放 2022 年通知的真实数据）")
    seeds_dir.mkdir(parents=True, exist_ok=True)
    for path in SEEDS_DIR.glob("*.csv"):
        shutil.copy2(path, seeds_dir / path.name)
    _append_csv(seeds_dir / "regions.csv", gen.region_rows)
    _append_csv(seeds_dir / "departments.csv", gen.department_rows)
    _append_csv(seeds_dir / "policy_calendar.csv", gen.calendar_rows)
    return seeds_dir


def generate_scaled_inbox(
    out: Path,
    seeds_dir: Path,
    *,
    seed: int = 2022,
    applications: int = 100_000,
    submitters: int = 250,
    year: int = 2022,
) -> ScaledInbox:
    """Write a scaled inbox at ``out`` and its reference data at ``seeds_dir``.

    ``applications`` is the number of year-``year`` applications aimed at (the 2022 sample's
    injections and quarantined rows come on top); ``submitters`` counts the 23 of the
    reference data.
    """
    probe = Generator(seed, 0, year)
    base = len(probe.subs)
    extra = max(0, submitters - base)
    base_applications = max(400, applications * base // max(submitters, base))
    gen = ScaledGenerator(
        seed, base_applications, year, extra=extra, extra_applications=max(0, applications - base_applications)
    )
    gen.run(Path(out))
    write_seeds(seeds_dir, gen)
    files = sum(1 for p in Path(out).glob("[0-9]*/*/*") if p.is_file())
    roster = sum(
        len(s.rows) for f in gen.files if f.relpath.startswith(f"{year}/") for s in f.sheets if s.form is forms.F1
    )
    return ScaledInbox(Path(out), Path(seeds_dir), base + extra, files, roster + gen.extra_roster_rows)
