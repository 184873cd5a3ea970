-- QTA-03 四(十)：各地区 F3 每个专业领域的拟推荐申报数不超过空岗数。
-- 每个 年度 × 地区 × 专业领域 一行（marts.quota_compliance 的 region_field 行）；compliant = false 即一条违规发现。

with

fields as (

    select * from {{ ref('stg_directed_posts__fields') }}
    where year in (select policy_years.year from {{ ref('int_policy_years') }} as policy_years)

),

grouped as (

    select
        year,
        submitter_code as region_code,
        field,
        sum(vacant_posts) as vacant_posts,
        sum(planned_applications) as planned_applications,
        arg_min(_source_file, [_source_file, cast(_source_row as varchar)]) as source_file,
        arg_min(_source_row, [_source_file, cast(_source_row as varchar)]) as source_row,
    from fields
    group by year, submitter_code, field

),

final as (

    select
        year,
        'QTA-03' as quota_code,
        'region_field' as scope_type,
        region_code || '/' || field as scope_code,
        cast(vacant_posts as double) as limit_value,
        cast(planned_applications as double) as actual_value,
        coalesce(planned_applications <= vacant_posts, false) as compliant,
        'QTA-03' as rule_id,
        '违规' as severity,
        'region_field' as subject_type,
        region_code || '/' || field as subject_key,
        region_code as submitter_code,
        cast(null as varchar) as committee_code,
        region_code,
        cast(null as varchar) as series,
        cast(null as varchar) as level,
        '四(十)' as clause,
        '定向评价岗位表“' || field || '”拟推荐申报' || cast(planned_applications as varchar) || '人，超过空岗数'
        || cast(vacant_posts as varchar) || '个' as detail,
        source_file,
        source_row,
    from grouped

)

select * from final
