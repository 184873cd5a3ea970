-- PUB-03 五(三)、七(二)2：市级、旗县区、自主评审评委会（有计入统计的评审结果）须在评审结束后进行
-- 充分的评审结果公示。没有任何 评审结果公示 行：违规且评审结果无效（不予核准备案）；
-- 有行但没有一条充分且开始不早于评审结束：违规，结果不因此无效。每个 年度 × 评委会 一条。

with

committee_years as (

    select * from {{ ref('int_committee_years') }}
    where
        scope in ('市级', '旗县区', '自主评审')
        and year in (select policy_years.year from {{ ref('int_policy_years') }} as policy_years)

),

parameters as (

    select * from {{ ref('int_policy_parameters') }}

),

events as (

    select * from {{ ref('int_work_events') }}
    where event_type = '评审结果公示'

),

judged as (

    select
        committee_years.year,
        committee_years.committee_code,
        committee_years.evaluation_end,
        events.start_date,
        events.end_date,
        {{ workdays_between('events.start_date', 'events.end_date') }} as workdays,
        {{ publicity_is_adequate('events.start_date', 'events.end_date', 'parameters.publicity_min_workdays') }}
            as adequate,
    from committee_years
    inner join events
        on
            committee_years.year = events.year
            and committee_years.committee_code = events.committee_code
    left join parameters
        on committee_years.year = parameters.year

),

publicity as (

    select
        year,
        committee_code,
        count(*) as publicity_rows,
        bool_or(adequate and start_date >= evaluation_end) as has_good_row,
        arg_max(start_date, [end_date, start_date]) as last_start,
        arg_max(end_date, [end_date, start_date]) as last_end,
        arg_max(workdays, [end_date, start_date]) as last_workdays,
    from judged
    group by year, committee_code

),

checked as (

    select
        committee_years.year,
        committee_years.committee_code,
        committee_years.evaluation_end,
        coalesce(publicity.publicity_rows, 0) as publicity_rows,
        coalesce(publicity.has_good_row, false) as has_good_row,
        publicity.last_start,
        publicity.last_end,
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
        'PUB-03' as rule_id,
        '违规' as severity,
        'committee' as subject_type,
        committee_code as subject_key,
        committee_code as submitter_code,
        committee_code,
        cast(null as varchar) as region_code,
        cast(null as varchar) as series,
        cast(null as varchar) as level,
        '五(三), 七(二)2' as clause,
        case
            when publicity_rows = 0
                then '评委会' || committee_code || '没有进行评审结果公示，评审结果不予核准备案（无效）'
            else
                '评委会' || committee_code || '评审结果公示不符合要求：公示' || {{ rule_fmt_date('last_start') }} || '至'
                || {{ rule_fmt_date('last_end') }} || '共' || {{ rule_fmt_num('last_workdays') }} || '个工作日（须不少于'
                || {{ rule_fmt_num('publicity_min_workdays') }} || '个），评审结束日期'
                || {{ rule_fmt_date('evaluation_end') }} || '（公示须在评审结束后开始）'
        end as detail,
        cast(null as varchar) as source_file,
        cast(null as integer) as source_row,
        publicity_rows = 0 as voids_outcomes,
    from checked
    where not has_good_row

)

select * from final
