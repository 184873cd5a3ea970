-- 定向评价岗位配额（QTA-03、QTA-04 共用）：每个 年度 × 地区 × 专业领域（F3）一行，
-- 空岗数、F3 拟推荐申报数与当前定向评价申报数（当前、编号无歧义的 F1 中 申报途径 = 定向评价 的行）。
-- 没有 F3 的地区没有行（由 SCH-05 处理）。来源行取该组 F3 的第一行。

with

fields as (

    select * from {{ ref('stg_directed_posts__fields') }}
    where {{ is_policy_year('year') }}

),

applications as (

    {{ rule_applications() }}

),

grouped as (

    select
        year,
        submitter_code as region_code,
        field,
        sum(vacant_posts) as vacant_posts,
        sum(planned_applications) as planned_applications,
        {{ first_source_row() }},
    from fields
    group by year, submitter_code, field

),

directed as (

    select
        year,
        submitter_code as region_code,
        directed_field as field,
        count(*) as directed_applications,
    from applications
    where route = '定向评价' and directed_field is not null
    group by year, submitter_code, directed_field

),

final as (

    select
        grouped.*,
        coalesce(directed.directed_applications, 0) as directed_applications,
    from grouped
    left join directed
        on
            grouped.year = directed.year
            and grouped.region_code = directed.region_code
            and grouped.field = directed.field

)

select * from final
