"""公示要求（通知 五、六、七(二)2）：单位公示、花名册公示、评审结果公示是否充分、顺序是否正确。

每个期望都作用在 dbt 算出的事实列上（工作日数、起止日期、报送日期），
最少工作日数在运行时读取 reference.policy_parameters 的 PUBLICITY_MIN_WORKDAYS（按年度），这里不写数字。
"""

from dagster_project.quality.spec import Dataset, Rule, Suite

PUB_01 = Rule("PUB-01")
PUB_02 = Rule("PUB-02")
PUB_03 = Rule("PUB-03")


def adequate(rule: Rule, kind: str, label: str, counted: str = "", missing: str = "") -> tuple:
    """What every publicity must meet: it exists (when `missing` says what is missing otherwise), ends
    no earlier than it starts, and lasts at least PUBLICITY_MIN_WORKDAYS working days (columns
    <kind>_publicity_start / _end / _workdays)."""
    exists = (rule.not_null(f"{kind}_publicity_end", missing),) if missing else ()
    return (
        *exists,
        rule.on_or_after(f"{kind}_publicity_end", f"{kind}_publicity_start", f"{label}结束日期不早于开始日期"),
        rule.at_least(
            f"{kind}_publicity_workdays",
            "PUBLICITY_MIN_WORKDAYS",
            f"{label}的工作日数{counted}不少于 PUBLICITY_MIN_WORKDAYS",
        ),
    )


UNIT_PUBLICITY = Dataset(
    name="publicity.unit",
    title="单位公示（PUB-01）",
    notes="每个当前、编号无歧义的申报：单位公示起止日期齐全、结束不早于开始、工作日数不少于最低要求，且在报送方材料报送之前结束。",
    guards=("marts", "applications"),
    sql="""
        select year, application_no, submitter_code, unit_publicity_start, unit_publicity_end,
               unit_publicity_workdays, materials_submitted_date
        from intermediate.int_quality_unit_publicity
        order by year, submitter_code, application_no
    """,
    subject_columns=("application_no",),
    expectations=(
        PUB_01.not_null("unit_publicity_start", "单位公示开始日期必须填写"),
        PUB_01.not_null("unit_publicity_end", "单位公示结束日期必须填写"),
        *adequate(PUB_01, "unit", "单位公示", counted="（含首尾两天）"),
        PUB_01.after(
            "materials_submitted_date", "unit_publicity_end", "单位公示须在报送方材料报送（报送日期）之前结束"
        ),
    ),
)

ROSTER_PUBLICITY = Dataset(
    name="publicity.roster",
    title="花名册公示（PUB-02）",
    notes="每个报送了花名册的地区和市直主管部门：有花名册公示，工作日数不少于最低要求，结束不早于开始，且在材料报送之前结束。所取的公示行是最有利的一行（先取在材料报送前结束的，再取工作日最多的）。",
    guards=("marts", "filing_completeness"),
    sql="""
        select year, submitter_code, roster_publicity_start, roster_publicity_end,
               roster_publicity_workdays, materials_last_date
        from intermediate.int_quality_submitter_filing
        order by year, submitter_code
    """,
    subject_columns=("submitter_code",),
    expectations=(
        *adequate(PUB_02, "roster", "花名册公示", missing="须有花名册公示记录（工作事项记录中的 花名册公示 行）"),
        PUB_02.after("materials_last_date", "roster_publicity_end", "花名册公示须在材料报送的报送日期之前结束"),
    ),
)

RESULTS_PUBLICITY = Dataset(
    name="publicity.results",
    title="评审结果公示（PUB-03）",
    notes=(
        "每个有评审结果、范围为 市级、旗县区 或 自主评审 的评委会：有评审结果公示，工作日数不少于最低要求，"
        "结束不早于开始，且不早于评审结束日开始。"
    ),
    guards=("marts", "schedule_adherence"),
    sql="""
        select year, committee_code, scope, evaluation_end, results_publicity_start, results_publicity_end,
               results_publicity_workdays
        from intermediate.int_quality_committee_filing
        where in_publicity_scope
        order by year, committee_code
    """,
    subject_columns=("committee_code",),
    expectations=(
        *adequate(
            PUB_03, "results", "评审结果公示", missing="须有评审结果公示（没有则该评委会的评审结果不予核准备案）"
        ),
        PUB_03.on_or_after("results_publicity_start", "evaluation_end", "评审结果公示不得在评审结束之前开始"),
    ),
)

SUITE = Suite(
    name="publicity",
    title="公示要求",
    notes=(
        "通知 五(一)、五(二)、五(三) 与 七(二)2：单位公示、花名册公示、评审结果公示均须充分（不少于规定的工作日数"
        "）且顺序正确。违反是需要报告的事实，检查只发出警告，不阻断流程。"
    ),
    datasets=(UNIT_PUBLICITY, ROSTER_PUBLICITY, RESULTS_PUBLICITY),
)
