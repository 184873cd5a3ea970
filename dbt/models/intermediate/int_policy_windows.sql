-- 政策日历的期间（窗口）行，按级别展开：每个 年度 × 要求 × 范围 × 级别 一行。
-- scope_priority：committee_scope 1、submitter 2、submitter_kind 3、all 4（SCH-01「先匹配者优先」）。

with

calendar as (

    select * from {{ ref('policy_calendar') }}

),

expanded as (

    select
        year,
        requirement_code,
        scope_type,
        scope_code,
        unnest(string_split(coalesce(levels, ''), '|')) as level,
        start_date,
        end_date
    from calendar

),

final as (

    select
        year,
        requirement_code,
        scope_type,
        scope_code,
        nullif(level, '') as level,
        start_date,
        end_date,
        case scope_type
            when 'committee_scope' then 1
            when 'submitter' then 2
            when 'submitter_kind' then 3
            else 4
        end as scope_priority
    from expanded

)

select * from final
