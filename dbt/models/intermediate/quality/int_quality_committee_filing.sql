-- 质量检查（SCH-03 六(三)、SCH-04 六(六)、PUB-03 五(三)/七(二)2）用：每个有评审结果的 评委会 × 年度一行
-- （int_committee_years）。in_schedule_scope：范围为 旗县区 或 自主评审（SCH-03/04 的对象）；
-- in_publicity_scope：范围为 市级、旗县区 或 自主评审（PUB-03 的对象）。
-- 方案备案取最早一条评审实施方案备案行，plan_lead_days = 评审开始日 − 其报送日期（天）；
-- 核准备案报告取符合要求的最早一行（报送日期晚于结果公示结束、不晚于最迟日），没有则取最晚一行
-- （宏 f4_earliest_else_latest，与 SCH-04 同一写法）；-- 结果公示的工作日数用宏 workdays_between。合格与否由 expectations/ 中的期望判断。

with

committee_years as (

    select * from {{ ref('int_committee_years') }}

),

events as (

    select * from {{ ref('int_work_events') }}

),

plans as (

    select
        year,
        committee_code,
        min(submitted_date) as plan_filed_date,
    from events
    where event_type = '评审实施方案备案'
    group by year, committee_code

),

reports as (

    {{ f4_earliest_else_latest(
        'committee_years', '核准备案报告', 'submitted_date',
        '(subjects.results_publicity_end is null or events.submitted_date > subjects.results_publicity_end)
        and events.submitted_date <= subjects.result_filing_due_date',
    ) }}

),

final as (

    select
        committee_years.year,
        committee_years.committee_code,
        committee_years.scope,
        coalesce(committee_years.scope in ('旗县区', '自主评审'), false) as in_schedule_scope,
        coalesce(committee_years.scope in ('市级', '旗县区', '自主评审'), false) as in_publicity_scope,
        committee_years.evaluation_start,
        committee_years.evaluation_end,
        committee_years.evaluation_work_end,
        plans.plan_filed_date,
        cast(committee_years.evaluation_start - plans.plan_filed_date as integer) as plan_lead_days,
        coalesce(reports.first_ok_date, reports.last_date) as approval_report_date,
        committee_years.result_filing_due_date,
        committee_years.results_publicity_start,
        committee_years.results_publicity_end,
        {{ workdays_between('committee_years.results_publicity_start', 'committee_years.results_publicity_end') }}
            as results_publicity_workdays,
    from committee_years
    left join plans
        on
            committee_years.year = plans.year
            and committee_years.committee_code = plans.committee_code
    left join reports
        on
            committee_years.year = reports.year
            and committee_years.committee_code = reports.committee_code

)

select * from final
