-- 报告“按系列和级别”：每个年度 × 系列 × 级别一行（level_order 为正高级、副高级、中级、初级的顺序）；
-- grain = series_level 为系列 × 级别，level 为各级别合计，series 为各系列合计。

with

applications as (

    select * from {{ ref('applications') }}

),

final as (

    select
        year,
        case
            when grouping(series) = 1 then 'level'
            when grouping(level) = 1 then 'series'
            else 'series_level'
        end as grain,
        series,
        level,
        case level
            when '正高级' then 0
            when '副高级' then 1
            when '中级' then 2
            when '初级' then 3
            else 9
        end as level_order,
        count(*) as applications,
        count(*) filter (where outcome <> '未评审') as evaluated,
        count(*) filter (where outcome = '通过') as passed,
        count(*) filter (where outcome = '通过' and outcome_valid) as passed_valid,
        count(*) filter (where outcome = '通过') / nullif(count(*) filter (where outcome <> '未评审'), 0) as pass_rate,
    from applications
    group by grouping sets ((year, series, level), (year, level), (year, series))

)

select * from final
