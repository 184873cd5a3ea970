-- COM-02 六(四)：自主评审评委会（有计入统计的评审结果）当年评委名单中须有外单位评委（是否本单位 = 否）；
-- 没有名单也算违规。每个 年度 × 评委会 一条。

with

committee_years as (

    select * from {{ ref('int_committee_years') }}
    where
        coalesce(is_self_evaluation, false)
        and {{ is_policy_year('year') }}

),

rosters as (

    select * from {{ ref('stg_evaluator_roster__evaluators') }}

),

roster_summary as (

    select
        roster_year as year,
        committee_code,
        count(distinct evaluator_key) as evaluators,
        count(distinct case when is_own_unit = false then evaluator_key end) as external_evaluators,
    from rosters
    group by roster_year, committee_code

),

final as (

    select
        committee_years.year,
        {%- set detail -%}
            case
                when roster_summary.evaluators is null
                    then
                        '自主评审评委会' || committee_years.committee_code || '没有报送' || cast(committee_years.year as varchar)
                        || '年度评委名单'
                else
                    '自主评审评委会' || committee_years.committee_code || cast(committee_years.year as varchar) || '年度评委名单'
                    || cast(roster_summary.evaluators as varchar) || '人中没有外单位评委'
            end
        {%- endset %}
        {{ rule_columns(
            'COM-02',
            'committee_years.committee_code',
            detail=detail,
            submitter_code='committee_years.committee_code',
            committee_code='committee_years.committee_code'
        ) }},
    from committee_years
    left join roster_summary
        on
            committee_years.year = roster_summary.year
            and committee_years.committee_code = roster_summary.committee_code
    where coalesce(roster_summary.external_evaluators, 0) = 0

)

select * from final
