-- PUB-03 五(三)、七(二)2：市级、旗县区、自主评审评委会（有计入统计的评审结果）须在评审结束后进行
-- 充分的评审结果公示。没有任何 评审结果公示 行：违规且评审结果无效（不予核准备案）；
-- 有行但没有一条充分且开始不早于评审结束：违规，结果不因此无效。每个 年度 × 评委会 一条。

with

committee_years as (

    {{ rule_committee_years(['市级', '旗县区', '自主评审']) }}

),

parameters as (

    select * from {{ ref('int_policy_parameters') }}

),

committee_parameters as (

    select
        committee_years.year,
        committee_years.committee_code,
        committee_years.evaluation_end,
        parameters.publicity_min_workdays,
    from committee_years
    left join parameters
        on committee_years.year = parameters.year

),

publicity as (

    {{ f4_earliest_else_latest(
        'committee_parameters', '评审结果公示', 'end_date',
        publicity_is_adequate('events.start_date', 'events.end_date', 'subjects.publicity_min_workdays')
        ~ ' and events.start_date >= subjects.evaluation_end',
        latest={
            'last_start': 'events.start_date',
            'last_workdays': workdays_between('events.start_date', 'events.end_date'),
        },
    ) }}

),

checked as (

    select
        committee_years.year,
        committee_years.committee_code,
        committee_years.evaluation_end,
        coalesce(publicity.event_rows, 0) as publicity_rows,
        publicity.first_ok_date is not null as has_good_row,
        publicity.last_start,
        publicity.last_date as last_end,
        publicity.last_workdays,
        parameters.publicity_min_workdays,
    from committee_years
    left join publicity
        on
            committee_years.year = publicity.year
            and committee_years.committee_code = publicity.committee_code
    left join parameters
        on committee_years.year = parameters.year

),

final as (

    select
        year,
        {%- set detail -%}
            case
                when publicity_rows = 0
                    then '评委会' || committee_code || '没有进行评审结果公示，评审结果不予核准备案（无效）'
                else
                    '评委会' || committee_code || '评审结果公示不符合要求：公示' || {{ rule_fmt_date('last_start') }} || '至'
                    || {{ rule_fmt_date('last_end') }} || '共' || {{ rule_fmt_num('last_workdays') }} || '个工作日（须不少于'
                    || {{ rule_fmt_num('publicity_min_workdays') }} || '个），评审结束日期'
                    || {{ rule_fmt_date('evaluation_end') }} || '（公示须在评审结束后开始）'
            end
        {%- endset %}
        {{ rule_columns(
            'PUB-03',
            'committee_code',
            detail=detail,
            submitter_code='committee_code',
            committee_code='committee_code'
        ) }},
        publicity_rows = 0 as voids_outcomes,
    from checked
    where not has_good_row

)

select * from final
