-- 通过率：年度 × 评委会 × 级别 × 评审分组 一行，只计与当前、无歧义申报匹配的 F5 行。
-- passed_valid 不含被判无效的结果；两个比率的分母都是 evaluated。

with

outcomes as (

    {{ counted_outcomes() }}

),

policy_years as (

    select * from {{ ref('int_policy_years') }}

),

flagged as (

    select
        outcomes.year,
        outcomes.committee_code,
        outcomes.level,
        outcomes.group_name,
        outcomes.outcome = '通过' as is_passed,
        outcomes.outcome = '通过' and not outcomes.is_void as is_passed_valid
    from outcomes
    inner join policy_years
        on outcomes.year = policy_years.year

),

grouped as (

    select
        year,
        committee_code,
        level,
        group_name,
        count(*) as evaluated,
        count(*) filter (where is_passed) as passed,
        count(*) filter (where is_passed_valid) as passed_valid
    from flagged
    group by year, committee_code, level, group_name

),

final as (

    select
        year,
        committee_code,
        level,
        group_name,
        evaluated,
        passed,
        passed_valid,
        cast(passed as double) / evaluated as pass_rate,
        cast(passed_valid as double) / evaluated as pass_rate_valid
    from grouped

)

select * from final
