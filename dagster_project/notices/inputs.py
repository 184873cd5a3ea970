"""What each notice is made from, as one key per recipient: a notice is made again only when it changed.

A notice shows the recipient's own rows of the warehouse and what every notice of the year
shares. Its inputs key is the digest of both:

- the recipient's own rows: the findings it receives (``marts.notice_recipients`` joined to
  ``marts.findings``), its quarantined rows, its files (``marts.load_audit``), the names of its
  own applications, its own result rows and, for a committee, its evaluators' numbers;
- what every notice shares: the directory (``marts.submitters``), every reference table (policy
  parameters, calendar, rule texts), the set of the year's application numbers (another
  submitter's number is blanked out of a notice), the program (digests.py: templates, the
  office's settings), the notice's number in the year, its date and correction deadline.

With the same key and its documents in place (the XLSX and, when printed, the PDF, each with
the content key an earlier run recorded), the notice is not made again: its queries, HTML and
workbook are skipped, not only its printing. A warehouse changed in a submitter's rows thus
costs the notices of the recipients whose rows changed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dagster_project import digests
from dagster_project.documents import db
from dagster_project.documents.text import write_text_atomic

# every row a recipient's notice reads of the warehouse, tagged by kind, as (code, hash of the row)
_OWN_ROWS = {
    "findings": """
        select r.recipient_code, hash(r, f) from marts.notice_recipients r
        join marts.findings f on f.finding_id = r.finding_id
        where r.year = $year and r.channel = '告知书'""",
    # with whether the sheet it came from was superseded (a notice lists only its current files' rows)
    "quarantine": """
        select q.submitter_code, hash(q, exists (
            select 1 from marts.load_audit a
            where a.superseded and a.sha256 = q._file_sha256 and a.sheet = q._source_sheet))
        from raw.quarantine q where q.year = $year""",
    "files": "select a.submitter_code, hash(a) from marts.load_audit a where a.year = $year",
    "names": """
        select submitter_code, hash(application_no, name) from staging.stg_application_roster__applications
        where year = $year and application_no is not null""",
    "outcomes": """
        select submitter_code, hash(application_no, _source_file, _source_row)
        from staging.stg_evaluation_outcomes__outcomes where year = $year""",
    "evaluators": """
        select committee_code, hash(evaluator_key, evaluator_no, roster_year)
        from staging.stg_evaluator_roster__evaluators""",
}
_OPTIONAL = {"evaluators": ("staging", "stg_evaluator_roster__evaluators")}


def own_rows(con, year: int) -> dict[str, str]:
    """Per recipient code, the digest of every row of the warehouse its notice reads."""
    parts = [
        f"select '{kind}' as kind, * from ({sql})"
        for kind, sql in _OWN_ROWS.items()
        if kind not in _OPTIONAL or db.has_table(con, *_OPTIONAL[kind])
    ]
    rows = con.execute(
        "select code, string_agg(kind || ':' || n || ':' || total, '|' order by kind) from ("
        "  select kind, code, count(*) as n, sum(h) as total from ("
        + " union all ".join(parts)
        + ") t(kind, code, h) group by all) group by code",
        {"year": year},
    ).fetchall()
    return {str(code): digest for code, digest in rows if code not in (None, "")}


def shared(con, year: int, extra: str) -> str:
    """The digest of what every notice of the year shares; ``extra``: the date, deadline and the like."""
    digest = hashlib.sha256(f"{year}|{extra}|".encode())
    digests.update_program(digest)
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema = 'reference' or (table_schema = 'marts' and table_name = 'submitters') order by all"
    ).fetchall()
    for schema, table in tables:
        digest.update(f"{schema}.{table}:{digests.table(con, schema, table)}|".encode())
    numbers = con.execute(
        "select count(*), coalesce(sum(h), 0) from (select distinct hash(application_no) as h "
        "from staging.stg_application_roster__applications where year = ? and application_no is not null)",
        [year],
    ).fetchone()
    digest.update(f"applications:{numbers[0]}:{numbers[1]}".encode())
    return digest.hexdigest()


def keys(con, year: int, numbered: list[tuple[int, str]], extra: str) -> dict[str, str]:
    """The inputs key of each notice ``numbered`` ((number in the year, code) pairs)."""
    common = shared(con, year, extra)
    own = own_rows(con, year)
    return {
        code: hashlib.sha256(f"{common}|{seq}|{code}|{own.get(code, '')}".encode()).hexdigest()
        for seq, code in numbered
    }


def inputs_file(workbook: Path) -> Path:
    """Beside a notice's workbook: the inputs key it was made from, and what the run needs to know of it."""
    return workbook.with_name(f".{workbook.stem}.inputs.json")


def stored(workbook: Path) -> dict | None:
    path = inputs_file(workbook)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def record(workbook: Path, key: str, content: str, clean: bool) -> None:
    write_text_atomic(inputs_file(workbook), json.dumps({"inputs": key, "content": content, "clean": clean}))
