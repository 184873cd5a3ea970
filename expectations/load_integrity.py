"""装载完整性（数据契约 §1、§4）：数据本身可信，才能发布据此算出的数字。

这些检查是阻断性的：任何一项不通过，受保护资产下游的一切（服务快照、看板、报告、告知书）都不发布。
原始表的清单来自 dagster_project/forms.py（不在此重复）。
"""

from functools import partial

from dagster_project.forms import FORMS
from dagster_project.quality.spec import Dataset, Rule, Suite

CONTRACT_LOAD = "数据契约 §1"
CONTRACT_MARTS = "数据契约 §4"
LOAD_01 = Rule("LOAD-01", CONTRACT_LOAD)
LOAD_02 = Rule("LOAD-02", CONTRACT_LOAD)
LOAD_03 = Rule("LOAD-03", CONTRACT_LOAD)
LOAD_04 = Rule("LOAD-04", CONTRACT_MARTS)
LOAD_05 = Rule("LOAD-05", f"{CONTRACT_MARTS}；COM-04、FIL-03")
LOAD_06 = Rule("LOAD-06", f"{CONTRACT_LOAD}；CHN-03")

# every load-integrity dataset is judged over all years at once, and a failure stops publication
LoadDataset = partial(Dataset, per_year=False, blocking=True)

_RAW_ROWS = "\n        union all\n".join(
    f"        select _source_file, _source_sheet, _file_sha256, count(*) as n from raw.{form.table} group by all"
    for form in FORMS.values()
)
_RAW_SUBMITTERS = "\n        union\n".join(
    f"        select distinct year, 'submitter' as code_type, submitter_code as code from raw.{form.table}"
    for form in FORMS.values()
)


def _flagged(*rule_ids: str) -> str:
    """The subjects that findings of `rule_ids` account for (year, rule_id, subject_key): a row that is
    neither matched nor known must be one of these."""
    listed = ", ".join(f"'{rule_id}'" for rule_id in rule_ids)
    return f"            select distinct year, rule_id, subject_key from marts.findings where rule_id in ({listed})"


FILES = LoadDataset(
    name="load.files",
    title="文件 × 工作表的行数核对（LOAD-01…03）",
    notes=(
        "每个文件 × 工作表：读取行数 = 装载行数 + 隔离行数；装载审计记下的装载行数与原始表中实际的行数一致；"
        "隔离行数与隔离记录中的行数一致。装载后被删改的行会在这里暴露。"
    ),
    guards=("marts", "load_audit"),
    sql=f"""
        with raw_rows as (
{_RAW_ROWS}
        ),
        raw_counts as (
            select _source_file as file, _source_sheet as sheet, _file_sha256 as sha256, sum(n) as rows_in_raw
            from raw_rows group by all
        ),
        quarantine_counts as (
            select _source_file as file, _source_sheet as sheet, _file_sha256 as sha256,
                   count(distinct _source_row) as rows_in_quarantine
            from raw.quarantine group by all
        )
        select
            audit.year, audit.submitter_code, audit.form,
            audit.file || ' | ' || coalesce(audit.sheet, '') as file_sheet,
            audit.file, audit.sheet, audit.sha256,
            audit.rows_read,
            audit.rows_loaded + audit.rows_quarantined as rows_accounted,
            audit.rows_loaded,
            coalesce(raw_counts.rows_in_raw, 0) as rows_in_raw,
            audit.rows_quarantined,
            coalesce(quarantine_counts.rows_in_quarantine, 0) as rows_in_quarantine
        from marts.load_audit as audit
        left join raw_counts
            on audit.file = raw_counts.file and audit.sheet is not distinct from raw_counts.sheet
               and audit.sha256 = raw_counts.sha256
        left join quarantine_counts
            on audit.file = quarantine_counts.file and audit.sheet is not distinct from quarantine_counts.sheet
               and audit.sha256 = quarantine_counts.sha256
        order by audit.file, audit.sheet
    """,
    subject_columns=("file_sheet",),
    expectations=(
        LOAD_01.unique(["file", "sheet", "sha256"], "装载审计每个文件（内容哈希）× 工作表只有一行"),
        LOAD_01.equal("rows_read", "rows_accounted", "读取行数 = 装载行数 + 隔离行数"),
        LOAD_02.equal("rows_loaded", "rows_in_raw", "装载行数与原始表中该文件 × 工作表的实际行数一致"),
        LOAD_03.equal("rows_quarantined", "rows_in_quarantine", "隔离行数与隔离记录中该文件 × 工作表的行数一致"),
    ),
)

APPLICATIONS = LoadDataset(
    name="load.applications",
    title="申报表的主键（LOAD-04）",
    notes="marts.applications 每个 年度 × 网上申报编号 只有一行，且编号、人员键、报送方不为空。",
    guards=("marts", "applications"),
    sql="""
        select year, application_no, person_key, submitter_code, committee_code
        from marts.applications
        order by year, application_no
    """,
    subject_columns=("application_no",),
    expectations=(
        LOAD_04.unique(["year", "application_no"], "当前申报中 年度 × 网上申报编号 唯一"),
        LOAD_04.not_null("application_no", "网上申报编号不为空"),
        LOAD_04.not_null("person_key", "人员键（person_key）不为空"),
        LOAD_04.not_null("submitter_code", "报送方代码不为空"),
    ),
)

OUTCOMES = LoadDataset(
    name="load.outcomes",
    title="评审结果的去向（LOAD-05）",
    notes=(
        "政策年份的每条当前评审结果（F5）行：要么与花名册匹配，要么已有 COM-04（不匹配）或 FIL-03（编号歧义）"
        "问题记录，不会悄悄丢失。"
    ),
    guards=("marts", "findings"),
    sql=f"""
        with flagged as (
{_flagged("COM-04", "FIL-03")}
        )
        select
            outcomes.year, outcomes.committee_code, outcomes.application_no,
            outcomes.committee_code || '/' || outcomes.application_no as outcome_key,
            case
                when outcomes.matched then '已匹配'
                when com_04.subject_key is not null then 'COM-04'
                when outcomes.is_ambiguous and fil_03.subject_key is not null then 'FIL-03'
            end as disposition
        from intermediate.int_outcomes as outcomes
        left join flagged as com_04
            on com_04.rule_id = 'COM-04' and outcomes.year = com_04.year
               and outcomes.application_no = com_04.subject_key
        left join flagged as fil_03
            on fil_03.rule_id = 'FIL-03' and outcomes.year = fil_03.year
               and outcomes.application_no = fil_03.subject_key
        where outcomes.year in (select year from intermediate.int_policy_years)
        order by outcomes.year, outcomes.committee_code, outcomes.application_no
    """,
    subject_columns=("outcome_key",),
    expectations=(LOAD_05.not_null("disposition", "每条评审结果已匹配或已记为问题"),),
)

CODES = LoadDataset(
    name="load.codes",
    title="代码已知或已标记（LOAD-06）",
    notes=(
        "原始表中每个报送方代码都在参考数据中（未知代码的文件应整份隔离）；政策年份花名册与评审结果中的每个评委会"
        "代码都在参考数据中，或已有 CHN-03 问题记录。"
    ),
    guards=("marts", "findings"),
    sql=f"""
        with used as (
{_RAW_SUBMITTERS}
        union
        select distinct year, 'committee' as code_type, committee_code as code
        from staging.stg_application_roster__applications where committee_code is not null
        union
        select distinct year, 'committee' as code_type, committee_code as code
        from staging.stg_evaluation_outcomes__outcomes where committee_code is not null
        ),
        known as (
            select distinct 'committee' as code_type, committee_code as code from reference.committees
            union
            select distinct 'submitter' as code_type, submitter_code as code from intermediate.int_submitters
        ),
        flagged as (
{_flagged("CHN-03")}
        )
        select
            used.year, used.code_type, used.code,
            used.code_type || ':' || used.code as code_key,
            case
                when known.code is not null then '已知'
                when used.code_type = 'committee' and flagged.subject_key is not null then 'CHN-03'
            end as disposition
        from used
        left join known on used.code_type = known.code_type and used.code = known.code
        left join flagged
            on used.code_type = 'committee' and used.year = flagged.year and used.code = flagged.subject_key
        where used.code_type = 'submitter' or used.year in (select year from intermediate.int_policy_years)
        order by used.code_type, used.code, used.year
    """,
    subject_columns=("code_key",),
    expectations=(LOAD_06.not_null("disposition", "每个代码都已知，或（评委会代码）已记为 CHN-03 问题"),),
)

SUITE = Suite(
    name="load_integrity",
    title="装载完整性",
    notes=(
        "数据契约 §1、§4：每个文件 × 工作表的行数对得上，当前申报编号唯一，每条评审结果已匹配或已标记，"
        "每个代码已知或已标记。任一项不通过即停止发布（阻断性检查）。"
    ),
    datasets=(FILES, APPLICATIONS, OUTCOMES, CODES),
)
