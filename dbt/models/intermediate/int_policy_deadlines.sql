-- 全局截止日宽表：每个政策年份一行；policy_calendar 中 scope_type = all 的每个要求一列
-- （列名 = 要求代码小写、连字符换成下划线，值为 end_date），例如 finish_by、
-- directed_posts、cutoff_seniority。

with

calendar as (

    select * from {{ ref('policy_calendar') }}

),

policy_years as (

    select * from {{ ref('int_policy_years') }}

),

global_rows as (

    select
        year,
        lower(replace(requirement_code, '-', '_')) as requirement,
        end_date
    from calendar
    where scope_type = 'all'

),

pivoted as (

    pivot global_rows
    on requirement
    using max(end_date)
    group by year

),

final as (

    select
        policy_years.year,
        pivoted.* exclude (pivoted.year)
    from policy_years
    left join pivoted
        on policy_years.year = pivoted.year

)

select * from final
