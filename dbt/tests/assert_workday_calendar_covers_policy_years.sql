-- 不变量：工作日历覆盖每个政策年份及其下一年的每一天（缺年份时 workdays_between 会得到空值）。

with

policy_years as (

    select year from {{ ref('int_policy_years') }}
    union
    select year + 1 as year from {{ ref('int_policy_years') }}

),

calendar as (

    select
        year,
        count(*) as days
    from {{ ref('int_workdays') }}
    group by year

),

final as (

    select
        policy_years.year,
        coalesce(calendar.days, 0) as days
    from policy_years
    left join calendar
        on policy_years.year = calendar.year
    where coalesce(calendar.days, 0) < 365

)

select * from final
