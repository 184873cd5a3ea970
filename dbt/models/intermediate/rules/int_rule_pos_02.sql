-- POS-02 四(十一)1：单位的高级非超岗申报数不得超过其 F2 高级空岗数
-- （F1 工作单位与 F2 单位名称在同一报送方内按规范化名称匹配；没有 F2 行的单位不检查）。
-- 每个 年度 × 报送方 × 单位 一条。

with

applications as (

    {{ rule_applications() }}

),

posts as (

    select * from {{ ref('stg_post_structure__units') }}

),

post_units as (

    select
        year,
        submitter_code,
        unit_name_normalised,
        sum(senior_posts_vacant) as senior_posts_vacant,
        {{ first_source_row() }},
    from posts
    group by year, submitter_code, unit_name_normalised

),

in_post as (

    select
        year,
        submitter_code,
        unit_name_normalised,
        any_value(region_code) as region_code,
        count(*) as senior_applications,
    from applications
    where is_senior and over_post is distinct from true
    group by year, submitter_code, unit_name_normalised

),

final as (

    select
        in_post.year,
        {%- set detail -%}
            '单位“' || in_post.unit_name_normalised || '”高级职称岗位内申报' || cast(in_post.senior_applications as varchar)
            || '人，超过岗位情况表高级空岗数' || cast(post_units.senior_posts_vacant as varchar) || '个'
        {%- endset %}
        {{ rule_columns(
            'POS-02',
            'in_post.unit_name_normalised',
            detail=detail,
            submitter_code='in_post.submitter_code',
            region_code='in_post.region_code',
            source_file='post_units.source_file',
            source_row='post_units.source_row'
        ) }},
    from in_post
    inner join post_units
        on
            in_post.year = post_units.year
            and in_post.submitter_code = post_units.submitter_code
            and in_post.unit_name_normalised = post_units.unit_name_normalised
    where in_post.senior_applications > post_units.senior_posts_vacant

)

select * from final
