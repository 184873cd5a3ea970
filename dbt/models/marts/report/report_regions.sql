-- 报告“按地区”：每个年度 × 旗县区一行（参考数据中的全部旗县区，无申报的为 0），
-- 另加一行 region_code 为空：市直部门及自主评审单位的申报。region_order 为参考数据中的顺序。

with

applications as (

    select * from {{ ref('applications') }}

),

regions as (

    select
        region_code,
        region_name,
        row_number() over () as region_order,
    from {{ ref('regions') }}

),

years as (

    select distinct year from applications

),

counted as (

    select
        year,
        region_code,
        count(*) as applications,
        count(*) filter (where outcome <> '未评审') as evaluated,
        count(*) filter (where outcome = '通过') as passed,
        count(*) filter (where outcome = '通过' and outcome_valid) as passed_valid,
    from applications
    group by year, region_code

),

known as (

    select
        years.year,
        regions.region_code,
        regions.region_name,
        regions.region_order,
    from years
    cross join regions

),

keys as (

    select
        year,
        region_code,
        region_name,
        region_order,
    from known
    union all
    select
        counted.year,
        counted.region_code,
        null as region_name,
        case when counted.region_code is null then 100000 else 99999 end as region_order,
    from counted
    where counted.region_code is null or counted.region_code not in (select regions.region_code from regions)

),

final as (

    select
        keys.year,
        keys.region_code,
        keys.region_name,
        keys.region_order,
        coalesce(counted.applications, 0) as applications,
        coalesce(counted.evaluated, 0) as evaluated,
        coalesce(counted.passed, 0) as passed,
        coalesce(counted.passed_valid, 0) as passed_valid,
        counted.passed / nullif(counted.evaluated, 0) as pass_rate,
    from keys
    left join counted
        on
            keys.year = counted.year
            and keys.region_code is not distinct from counted.region_code

)

select * from final
