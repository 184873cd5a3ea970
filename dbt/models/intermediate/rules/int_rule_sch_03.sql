-- SCH-03 六(三) PLAN-FILED：旗县区评委会与自主评审评委会（有计入统计的评审结果）须在评审开始
-- PLAN_LEAD_DAYS 天前报送评审实施方案备案。完全没有备案行：违规且评审结果无效（擅自开评）；
-- 备案晚了：违规，结果不因此无效。每个 年度 × 评委会 一行；compliant = false 即一条违规发现。

with

committee_years as (

    {{ rule_committee_years(['旗县区', '自主评审']) }}

),

plans as (

    {{ f4_earliest_else_latest(
        'committee_years', '评审实施方案备案', 'submitted_date',
        'events.submitted_date <= subjects.plan_due_date',
    ) }}

),

checked as (

    select
        committee_years.*,
        plans.event_rows as plan_rows,
        plans.first_ok_date as first_timely_date,
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
        {{ schedule_columns(
            'PLAN-FILED',
            'committee_code',
            'plan_due_date',
            'coalesce(first_timely_date, last_date)',
            'first_timely_date is not null'
        ) }},
        {%- set detail -%}
            case
                when plan_rows = 0
                    then
                        '评委会' || committee_code || '评审开始（' || {{ rule_fmt_date('evaluation_start') }}
                        || '）前没有报送评审实施方案备案，属擅自开评，评审结果无效'
                else
                    '评委会' || committee_code || '评审实施方案备案报送日期' || {{ rule_fmt_date('last_date') }}
                    || '，晚于最迟报送日' || {{ rule_fmt_date('plan_due_date') }} || '（评审开始'
                    || {{ rule_fmt_date('evaluation_start') }} || '）'
            end
        {%- endset %}
        {{ rule_columns(
            'SCH-03',
            'committee_code',
            detail=detail,
            submitter_code='committee_code',
            committee_code='committee_code'
        ) }},
        plan_rows = 0 as voids_outcomes,
    from checked

)

select * from final
