-- POS-03 四(十一)1（提示）：F2 行 已设高级岗位数 − 已聘高级岗位数 ≠ 高级空岗数（每个 F2 行一条）；
-- 或 单位性质不是事业单位的申报填了超岗申报 = 是（每个申报一条，对象为其单位）。

with

policy_years as (

    select * from {{ ref('int_policy_years') }}

),

submitters as (

    select * from {{ ref('int_submitters') }}

),

posts as (

    select * from {{ ref('stg_post_structure__units') }}

),

applications as (

    {{ rule_applications() }}

),

post_breaches as (

    select
        posts.year,
        posts.unit_name_normalised as subject_key,
        posts.submitter_code,
        case when submitters.submitter_kind = 'region' then posts.submitter_code end as region_code,
        cast(null as varchar) as series,
        cast(null as varchar) as level,
        '岗位情况表中单位“' || posts.unit_name_normalised || '”已设高级岗位' || cast(posts.senior_posts_set as varchar)
        || '个、已聘' || cast(posts.senior_posts_filled as varchar) || '个，应空'
        || cast(posts.senior_posts_set - posts.senior_posts_filled as varchar) || '个，但填报高级空岗数'
        || cast(posts.senior_posts_vacant as varchar) || '个' as detail,
        posts._source_file as source_file,
        posts._source_row as source_row,
    from posts
    left join submitters
        on posts.submitter_code = submitters.submitter_code
    where
        posts.year in (select policy_years.year from policy_years)
        and posts.senior_posts_set - posts.senior_posts_filled is distinct from posts.senior_posts_vacant

),

application_breaches as (

    select
        year,
        unit_name_normalised as subject_key,
        submitter_code,
        region_code,
        series,
        level,
        '申报' || application_no || '填报超岗申报，但单位“' || unit_name_normalised || '”的单位性质为“' || unit_nature
        || '”，超岗申报只适用于事业单位' as detail,
        _source_file as source_file,
        _source_row as source_row,
    from applications
    where coalesce(over_post, false) and unit_nature is distinct from '事业单位'

),

unioned as (

    select * from post_breaches
    union all
    select * from application_breaches

),

final as (

    select
        year,
        {{ rule_columns(
            'POS-03',
            'subject_key',
            submitter_code='submitter_code',
            region_code='region_code',
            series='series',
            level='level',
            source_file='source_file',
            source_row='source_row'
        ) }},
    from unioned

)

select * from final
