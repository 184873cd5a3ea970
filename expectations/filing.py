"""报送与备案要求（通知 四(十)、六(二)、六(三)、六(六)）。

各项要求都是对 dbt 算出的日期列的期望（报送日期存在、提前天数不少于要求、最迟日未过），
提前天数的要求在运行时读取 reference.policy_parameters 的 PLAN_LEAD_DAYS；核准备案最迟日与
定向评价岗位报送截止日由 dbt 按 policy_parameters / policy_calendar 算出，这里不写数字。
"""

from dagster_project.quality.spec import Dataset, Rule, Suite

FIL_01 = Rule("FIL-01")
SCH_03 = Rule("SCH-03")
SCH_04 = Rule("SCH-04")
SCH_05 = Rule("SCH-05")

SUBMITTER_FILING = Dataset(
    name="filing.submitters",
    title="地区与市直主管部门的报送材料（FIL-01）",
    notes="每个报送了花名册的地区和市直主管部门：须有签字盖章的材料报送、工作情况总结报告和公示结果报告。",
    guards=("marts", "filing_completeness"),
    sql="""
        select year, submitter_code, submitter_kind, materials_signed_date, summary_report_date, publicity_report_date
        from intermediate.int_quality_submitter_filing
        order by year, submitter_code
    """,
    subject_columns=("submitter_code",),
    expectations=(
        FIL_01.not_null("materials_signed_date", "须有签字盖章 = 是 的材料报送（报送日期）"),
        FIL_01.not_null("summary_report_date", "须报送工作情况总结报告"),
        FIL_01.not_null("publicity_report_date", "须报送公示结果报告"),
    ),
)

COMMITTEE_FILING = Dataset(
    name="filing.committees",
    title="评委会的评审实施方案备案与核准备案报告（SCH-03、SCH-04）",
    notes=(
        "每个有评审结果、范围为 旗县区 或 自主评审 的评委会：评审实施方案在评审开始前足够天数备案；核准备案报告在"
        "结果公示结束之后、最迟日之前报送。"
    ),
    guards=("marts", "schedule_adherence"),
    sql="""
        select year, committee_code, scope, evaluation_start, plan_filed_date, plan_lead_days,
               results_publicity_end, approval_report_date, result_filing_due_date
        from intermediate.int_quality_committee_filing
        where in_schedule_scope
        order by year, committee_code
    """,
    subject_columns=("committee_code",),
    expectations=(
        SCH_03.not_null("plan_filed_date", "须有评审实施方案备案（没有则属擅自开评，评审结果无效）"),
        SCH_03.at_least("plan_lead_days", "PLAN_LEAD_DAYS", "方案备案的报送日期至少早于评审开始 PLAN_LEAD_DAYS 天"),
        SCH_04.not_null("approval_report_date", "须报送核准备案报告"),
        SCH_04.after("approval_report_date", "results_publicity_end", "核准备案报告须在评审结果公示结束之后报送"),
        SCH_04.on_or_after(
            "result_filing_due_date",
            "approval_report_date",
            "核准备案报告不晚于最迟日（评审工作结束后 RESULT_FILING_MONTHS 个月，由 dbt 计算）",
        ),
    ),
)

DIRECTED_POSTS = Dataset(
    name="filing.directed_posts",
    title="定向评价岗位表的报送（SCH-05）",
    notes="每个 市辖区、旗县 类地区：须报送定向评价岗位表（F3），最晚一次报送不晚于截止日（政策日历 DIRECTED-POSTS）。",
    guards=("marts", "schedule_adherence"),
    sql="""
        select year, region_code, directed_post_rows, directed_posts_last_date, directed_posts_due_date
        from intermediate.int_quality_directed_posts
        order by year, region_code
    """,
    subject_columns=("region_code",),
    expectations=(
        SCH_05.not_null("directed_posts_last_date", "须报送定向评价岗位表（F3）"),
        SCH_05.on_or_after(
            "directed_posts_due_date", "directed_posts_last_date", "定向评价岗位表的报送日期不晚于截止日"
        ),
    ),
)

SUITE = Suite(
    name="filing",
    title="报送与备案要求",
    notes=(
        "通知 四(十)、六(二)、六(三)、六(六)：地区与部门的报送材料齐全，评委会按时备案实施方案与报送核准备案报告，"
        "地区按时报送定向评价岗位。违反是需要报告的事实，检查只发出警告，不阻断流程。"
    ),
    datasets=(SUBMITTER_FILING, COMMITTEE_FILING, DIRECTED_POSTS),
)
