"""Ingestion benchmark: write N applications as real .xlsx rosters, then time
reading, validation and loading into a fresh DuckDB.

    python benchmarks/ingest.py [--applications 100000] [--files 4] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import duckdb
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dagster_project.forms import F1  # noqa: E402
from dagster_project.ingest import idcard, load_inbox  # noqa: E402

SUBMITTERS = ("150121", "150105", "D-JYJ", "U-HHVC", "150122", "D-WJW", "150102", "150125")


def f1_row(i: int, rng: random.Random) -> dict[str, object]:
    male = rng.random() < 0.5
    born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 30))
    id_number = idcard.make("150121", born, rng.randrange(0, 1000), male)
    return {
        "序号": i + 1,
        "网上申报编号": f"NM2022-{i:07d}",
        "姓名": f"申报人{i}",
        "性别": "男" if male else "女",
        "证件类型": "居民身份证",
        "身份证号": id_number,
        "出生日期": dt.datetime(born.year, born.month, born.day),
        "工作单位": f"第{i % 300}中学",
        "单位性质": "事业单位",
        "单位隶属": "本市",
        "委托函": "否",
        "人员身份": "在职",
        "调入时间": None,
        "工作地层级": "旗县区直",
        "最高学历": "大学本科",
        "学历性质": "全日制",
        "毕业时间": dt.datetime(2005, 7, 1),
        "所学专业": "汉语言文学",
        "现职称": "一级教师",
        "现职称级别": "中级",
        "现职称取得时间": dt.datetime(2015, 12, 1),
        "现职称聘任时间": dt.datetime(2016, 1, 1),
        "专业技术工作年限": 16.5,
        "现岗位工作年限": 6,
        "基层服务年限": 10,
        "申报系列": "中小学教师",
        "申报专业": "语文",
        "申报级别": "副高级",
        "申报方式": "正常申报",
        "破格依据": None,
        "曾享受破格政策": "否",
        "考试成绩合格": "不适用",
        "超岗申报": "否",
        "评委会代码": "C-ZXXGJ-M",
        "申报日期": dt.datetime(2022, 7, 5),
        "单位公示开始日期": dt.datetime(2022, 6, 20),
        "单位公示结束日期": dt.datetime(2022, 6, 27),
        "诚信承诺书": "是",
    }


def write_rosters(root: Path, applications: int, files: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    headers = list(F1.headers)
    paths = []
    per_file = -(-applications // files)
    for f in range(files):
        start, stop = f * per_file, min(applications, (f + 1) * per_file)
        if start >= stop:
            break
        folder = root / "2022" / SUBMITTERS[f % len(SUBMITTERS)]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"申报人员花名册_{f + 1}.xlsx"
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        ws = wb.add_worksheet("花名册")
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        ws.write(0, 0, "申报专业技术资格人员汇总花名册")
        ws.write(1, 0, f"填报单位：{folder.name}")
        ws.write_row(3, 0, headers)
        r = 4
        for i in range(start, stop):
            row = f1_row(i, rng)
            for c, h in enumerate(headers):
                v = row[h]
                if v is None:
                    continue
                if isinstance(v, dt.datetime):
                    ws.write_datetime(r, c, v, date_fmt)
                elif isinstance(v, (int, float)):
                    ws.write_number(r, c, v)
                else:
                    ws.write_string(r, c, v)
            r += 1
        ws.write(r, 0, "合计")
        ws.write(r + 1, 0, "填表人：张三    审核人：李四")
        wb.close()
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="导入性能基准：生成花名册并计时读取、校验、入库")
    parser.add_argument("--applications", type=int, default=100_000, help="申报人数（行数），默认 100000")
    parser.add_argument("--files", type=int, default=4, help="拆成几个文件，默认 4")
    parser.add_argument("--keep", type=Path, default=None, help="把生成的收件箱保留在此目录")
    parser.add_argument("--tracemalloc", action="store_true", help="用 tracemalloc 统计 Python 内存峰值（会变慢）")
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    inbox = args.keep or (root / "inbox")
    try:
        t0 = time.perf_counter()
        paths = write_rosters(inbox, args.applications, args.files)
        t_write = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in paths)
        print(f"生成 {len(paths)} 个 xlsx，共 {args.applications} 行，{size / 1e6:.1f} MB，用时 {t_write:.1f} 秒")

        con = duckdb.connect(str(root / "bench.duckdb"))
        if args.tracemalloc:
            tracemalloc.start()
        t0 = time.perf_counter()
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        summary = load_inbox(inbox, con, b"benchmark-key")
        elapsed = time.perf_counter() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        peak_py = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
        loaded = con.execute("select count(*) from raw.application_roster").fetchone()[0]
        quarantined = con.execute("select count(*) from raw.quarantine").fetchone()[0]
        con.close()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"读取+校验+入库：{elapsed:.2f} 秒（墙钟），{args.applications / elapsed:,.0f} 行/秒；"
            f"CPU 时间 {cpu:.2f} 秒（{os.cpu_count()} 核，负载 {os.getloadavg()[0]:.1f}）"
        )
        for stage, seconds in summary.timings.items():
            print(f"  {stage}: {seconds:.2f} 秒")
        print(f"入库 {loaded} 行，隔离记录 {quarantined} 条")
        print(f"进程内存峰值（RSS）：{rss:.0f} MB" + (f"；Python 分配峰值：{peak_py / 1e6:.0f} MB" if peak_py else ""))
        ok = loaded == args.applications and quarantined == 0
        if not ok:
            print("错误：入库行数与生成行数不符，或有隔离记录")
            for m in summary.messages[:20]:
                print("  ", m)
        return 0 if ok else 1
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
        else:
            shutil.rmtree(root, ignore_errors=True) if root != args.keep else None


if __name__ == "__main__":
    sys.exit(main())
