-- 有（计入统计的）评审结果的 评委会 × 年度，一行一个：
-- 评审开始/结束（计入的 F5 行的最早/最晚评审日期）、评委会参考数据、该年度的核准备案（有无、日期）、
-- 评审结果公示（F4 评审结果公示，按评委会代码匹配，不论谁报送）：有无、是否有充分的公示、
-- 所取公示行的起止（最早的充分公示行；没有充分的则取最晚的一行）、
-- 评审工作结束日（评审结束与充分公示结束中较晚者）、
-- 方案备案最迟日（评审开始 − PLAN_LEAD_DAYS 天）、核准备案最迟日（工作结束 + RESULT_FILING_MONTHS 个月，月末截断）。

with

outcomes as (

    select * from {{ ref('int_outcomes') }}
    where is_counted

),

committees as (

    select * from {{ ref('int_committees') }}

),

filings as (

    select * from {{ ref('int_committee_filings') }}

),

events as (

    select * from {{ ref('int_work_events') }}
    where event_type = '评审结果公示'

),

parameters as (

    select * from {{ ref('int_policy_parameters') }}

),

committee_years as (

    select
        year,
        committee_code,
        min(evaluation_date) as evaluation_start,
        max(evaluation_date) as evaluation_end,
        count(*) as outcomes_count
    from outcomes
    group by year, committee_code

),

publicity_ranked as (

    select
        committee_years.year,
        committee_years.committee_code,
        events.start_date,
        events.end_date,
        events.publicity_adequate,
        row_number() over (
            partition by committee_years.year, committee_years.committee_code
            order by
                events.publicity_adequate desc,
                case when events.publicity_adequate then events.end_date end asc,
                events.end_date desc nulls last,
                events.start_date desc nulls last
        ) as pick_rank,
        count(*) over (
            partition by committee_years.year, committee_years.committee_code
        ) as publicity_rows
    from committee_years
    inner join events
        on
            committee_years.year = events.year
            and committee_years.committee_code = events.committee_code

),

publicity as (

    select * from publicity_ranked
    where pick_rank = 1

),

joined as (

    select
        committee_years.year,
        committee_years.committee_code,
        committee_years.evaluation_start,
        committee_years.evaluation_end,
        committee_years.outcomes_count,
        committees.committee_code is not null as committee_known,
        committees.committee_name,
        committees.scope,
        committees.host_code,
        committees.is_self_evaluation,
        filings.committee_code is not null as filed,
        filings.filed_date,
        coalesce(publicity.publicity_rows, 0) as results_publicity_rows,
        publicity.committee_code is not null as has_results_publicity,
        coalesce(publicity.publicity_adequate, false) as results_publicity_adequate,
        publicity.start_date as results_publicity_start,
        publicity.end_date as results_publicity_end,
        parameters.plan_lead_days,
        parameters.result_filing_months
    from committee_years
    left join committees
        on committee_years.committee_code = committees.committee_code
    left join filings
        on
            committee_years.year = filings.year
            and committee_years.committee_code = filings.committee_code
    left join publicity
        on
            committee_years.year = publicity.year
            and committee_years.committee_code = publicity.committee_code
    left join parameters
        on committee_years.year = parameters.year

),

with_work_end as (

    select
        *,
        case
            when results_publicity_adequate then greatest(evaluation_end, results_publicity_end)
            else evaluation_end
        end as evaluation_work_end
    from joined

),

final as (

    select
        * exclude (plan_lead_days, result_filing_months),
        cast(evaluation_start - cast(plan_lead_days as integer) as date) as plan_due_date,
        {{ add_months_clamped('evaluation_work_end', 'result_filing_months') }} as result_filing_due_date
    from with_work_end

)

select * from final
