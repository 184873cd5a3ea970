-- SCH-02 二(一) FINISH-BY：旗县区评委会与自主评审评委会（有计入统计的评审结果）的评审结束日、
-- 及其评审结果公示结束日（有公示时）须不晚于完成截止日且在同一年。
-- 有该评委会的 延期申请（报送日期不晚于截止日）时，不合规只作提示。
-- 评审结果公示按 rules.md「F4 中的事项判断」：有多条公示行时，只要有一条的结束日期满足要求即可
-- （最早满足的一条给出 actual_date）；没有一条满足时取最晚一条的结束日期。
-- 每个 年度 × 评委会 一行（marts.schedule_adherence）；compliant = false 即一条发现。

with

committee_years as (

    {{ rule_committee_years(['旗县区', '自主评审']) }}

),

deadlines as (

    select * from {{ ref('int_policy_deadlines') }}

),

events as (

    select * from {{ ref('int_work_events') }}
    where event_type = '延期申请'

),

delays as (

    select
        events.year,
        events.committee_code,
        min(events.submitted_date) as first_delay_date,
    from events
    inner join deadlines
        on events.year = deadlines.year
    where events.submitted_date <= deadlines.finish_by
    group by events.year, events.committee_code

),

committee_deadlines as (

    select
        committee_years.year,
        committee_years.committee_code,
        deadlines.finish_by,
    from committee_years
    inner join deadlines
        on committee_years.year = deadlines.year

),

publicity as (

    {{ f4_earliest_else_latest(
        'committee_deadlines', '评审结果公示', 'end_date',
        'events.end_date <= subjects.finish_by and year(events.end_date) = year(subjects.finish_by)',
    ) }}

),

checked as (

    select
        committee_years.*,
        deadlines.finish_by,
        delays.first_delay_date,
        coalesce(publicity.first_ok_date, publicity.last_date) as judged_publicity_end,
        greatest(
            committee_years.evaluation_end, coalesce(publicity.first_ok_date, publicity.last_date)
        ) as actual_date,
        coalesce(
            committee_years.evaluation_end <= deadlines.finish_by
            and year(committee_years.evaluation_end) = year(deadlines.finish_by),
            false
        ) as evaluation_ok,
        coalesce(publicity.event_rows, 0) = 0 or publicity.first_ok_date is not null as publicity_ok,
    from committee_years
    left join deadlines
        on committee_years.year = deadlines.year
    left join delays
        on
            committee_years.year = delays.year
            and committee_years.committee_code = delays.committee_code
    left join publicity
        on
            committee_years.year = publicity.year
            and committee_years.committee_code = publicity.committee_code

),

final as (

    select
        year,
        {{ schedule_columns(
            'FINISH-BY',
            'committee_code',
            'finish_by',
            'actual_date',
            'evaluation_ok and publicity_ok'
        ) }},
        {%- set detail -%}
            '评委会' || committee_code || '评审工作未按期完成：评审结束日期' || {{ rule_fmt_date('evaluation_end') }}
            || case
                when judged_publicity_end is not null
                    then '，评审结果公示结束日期' || {{ rule_fmt_date('judged_publicity_end') }}
                else ''
            end
            || '，应不晚于' || {{ rule_fmt_date('finish_by') }}
            || case
                when first_delay_date is not null
                    then '（已于' || {{ rule_fmt_date('first_delay_date') }} || '报送延期申请）'
                else ''
            end
        {%- endset %}
        {{ rule_columns(
            'SCH-02',
            'committee_code',
            detail=detail,
            submitter_code='committee_code',
            committee_code='committee_code',
            severity="case when first_delay_date is not null then '提示' else '违规' end"
        ) }},
    from checked

)

select * from final
