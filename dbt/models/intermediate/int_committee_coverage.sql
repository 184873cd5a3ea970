-- 评委会覆盖的 系列 × 级别（CHN-04）：每个组合一行；覆盖某系列中级的评委会
-- 也覆盖该系列初级（四(三)1）。

with

committees as (

    select * from {{ ref('int_committees') }}

),

by_series as (

    select
        committee_code,
        unnest(series_list) as series,
        levels_list
    from committees

),

by_level as (

    select
        committee_code,
        series,
        unnest(levels_list) as level
    from by_series

),

with_junior as (

    select
        committee_code,
        series,
        level
    from by_level

    union

    select
        committee_code,
        series,
        '初级' as level
    from by_level
    where level = '中级'

),

final as (

    select * from with_junior
    where series <> '' and level <> ''

)

select * from final
