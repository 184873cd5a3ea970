-- 工作日历：每天一行，workday_seq = 截至当天（含）的累计工作日数。
-- 宏 workdays_between(start, end) 用两个序号相减得到区间内工作日数。

with

calendar as (

    select * from {{ source('reference_calendar', 'workday_calendar') }}

),

final as (

    select
        day,
        is_workday,
        year,
        cast(
            sum(case when is_workday then 1 else 0 end) over (
                order by day rows between unbounded preceding and current row
            ) as integer
        ) as workday_seq
    from calendar

)

select * from final
