-- QTA-04 四(十)：各地区每个专业领域的当前定向评价申报数不超过 F3 空岗数
-- （没有 F3 的地区没有行，由 SCH-05 处理）。每个 年度 × 地区 × 专业领域 一行；compliant = false 即一条违规发现。

with

fields as (

    select * from {{ ref('stg_directed_posts__fields') }}
    where year in (select policy_years.year from {{ ref('int_policy_years') }} as policy_years)

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
        arg_min(_source_file, [_source_file, cast(_source_row as varchar)]) as source_file,
        arg_min(_source_row, [_source_file, cast(_source_row as varchar)]) as source_row,
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

checked as (

    select
        grouped.*,
        coalesce(directed.directed_applications, 0) as directed_applications,
    from grouped
    left join directed
        on
            grouped.year = directed.year
            and grouped.region_code = directed.region_code
            and grouped.field = directed.field

),

final as (

    select
        year,
        'QTA-04' as quota_code,
        'region_field' as scope_type,
        region_code || '/' || field as scope_code,
        cast(vacant_posts as double) as limit_value,
        cast(directed_applications as double) as actual_value,
        coalesce(directed_applications <= vacant_posts, false) as compliant,
        'QTA-04' as rule_id,
        '违规' as severity,
        'region_field' as subject_type,
        region_code || '/' || field as subject_key,
        region_code as submitter_code,
        cast(null as varchar) as committee_code,
        region_code,
        cast(null as varchar) as series,
        cast(null as varchar) as level,
        '四(十)' as clause,
        '“' || field || '”定向评价申报' || cast(directed_applications as varchar) || '人，超过定向评价空岗数'
        || cast(vacant_posts as varchar) || '个' as detail,
        source_file,
        source_row,
    from checked

)

select * from final
