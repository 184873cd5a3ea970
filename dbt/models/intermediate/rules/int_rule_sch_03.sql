-- SCH-03 六(三) PLAN-FILED：旗县区评委会与自主评审评委会（有计入统计的评审结果）须在评审开始
-- PLAN_LEAD_DAYS 天前报送评审实施方案备案。完全没有备案行：违规且评审结果无效（擅自开评）；
-- 备案晚了：违规，结果不因此无效。每个 年度 × 评委会 一行；compliant = false 即一条违规发现。

with

committee_years as (

    select * from {{ ref('int_committee_years') }}
    where
        scope in ('旗县区', '自主评审')
        and year in (select policy_years.year from {{ ref('int_policy_years') }} as policy_years)

),

events as (

    select * from {{ ref('int_work_events') }}
    where event_type = '评审实施方案备案'

),

plans as (

    select
        committee_years.year,
        committee_years.committee_code,
        count(events.event_type) as plan_rows,
        min(case when events.submitted_date <= committee_years.plan_due_date then events.submitted_date end)
            as first_timely_date,
        max(events.submitted_date) as last_date,
    from committee_years
    left join events
        on
            committee_years.year = events.year
            and committee_years.committee_code = events.committee_code
    group by committee_years.year, committee_years.committee_code

),

checked as (

    select
        committee_years.*,
        plans.plan_rows,
        plans.first_timely_date,
        plans.last_date,
    from committee_years
    inner join plans
        on
            committee_years.year = plans.year
            and committee_years.committee_code = plans.committee_code

),

final as (

    select
        year,
        'PLAN-FILED' as requirement_code,
        committee_code as subject_code,
        plan_due_date as due_date,
        coalesce(first_timely_date, last_date) as actual_date,
        first_timely_date is not null as compliant,
        'SCH-03' as rule_id,
        '违规' as severity,
        'committee' as subject_type,
        committee_code as subject_key,
        committee_code as submitter_code,
        committee_code,
        cast(null as varchar) as region_code,
        cast(null as varchar) as series,
        cast(null as varchar) as level,
        '六(三)' as clause,
        case
            when plan_rows = 0
                then
                    '评委会' || committee_code || '评审开始（' || {{ rule_fmt_date('evaluation_start') }}
                    || '）前没有报送评审实施方案备案，属擅自开评，评审结果无效'
            else
                '评委会' || committee_code || '评审实施方案备案报送日期' || {{ rule_fmt_date('last_date') }}
                || '，晚于最迟报送日' || {{ rule_fmt_date('plan_due_date') }} || '（评审开始'
                || {{ rule_fmt_date('evaluation_start') }} || '）'
        end as detail,
        cast(null as varchar) as source_file,
        cast(null as integer) as source_row,
        plan_rows = 0 as voids_outcomes,
    from checked

)

select * from final
