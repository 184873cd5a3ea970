-- 有参考数据（policy_calendar 有行）的年份：规则与 marts 只对这些年份计算。

with

calendar as (

    select * from {{ ref('policy_calendar') }}

),

final as (

    select distinct year
    from calendar

)

select * from final
