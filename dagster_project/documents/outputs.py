"""The files a person opens after a run: report PDF, notices zip, Data Docs, and how to see the dashboards."""

from __future__ import annotations

from pathlib import Path


def closing_lines(warehouse: Path, out: Path, year: int | None = None) -> list[str]:
    """The closing lines of `zhicheng run`: the files to open (newest year first when none is given)."""
    out = Path(out)
    years = (
        sorted((p.name for p in (out / "report").iterdir() if p.name.isdigit()), reverse=True)
        if (out / "report").is_dir()
        else []
    )
    chosen = [str(year)] if year else years[:1]
    lines = []
    for y in chosen:
        pdf = out / "report" / y / f"监管报告_{y}.pdf"
        xlsx = out / "report" / y / f"监管报告数据_{y}.xlsx"
        zipped = out / "notices" / y / f"一次性告知书_{y}.zip"
        for label, path in (("监管报告（PDF）", pdf), ("监管报告数据（XLSX）", xlsx), ("一次性告知书（zip）", zipped)):
            if path.exists():
                lines.append(f"{label}：{path}")
    docs = out / "data_docs" / "index.html"
    if docs.exists():
        lines.append(f"数据质量报告：{docs}")
    lines.append(f"数据仓库（DuckDB）：{warehouse}")
    lines.append("查看看板：make serve，然后在浏览器打开 http://127.0.0.1:8088/superset/dashboard/zhicheng-overview/")
    return lines
