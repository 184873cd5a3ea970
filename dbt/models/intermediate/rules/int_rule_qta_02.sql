-- QTA-02 四(十一)1：每个报送了 F1 或 F2 的地区、市直主管部门，其事业单位高级超岗申报数
-- 不超过 OVERPOST_RATIO × F2 已设高级岗位数之和（0 个岗位而有超岗申报即违规）。
-- 每个 年度 × 报送方 一行（marts.quota_compliance 的 submitter 行）；compliant = false 即一条违规发现。

with

policy_years as (

    select * from {{ ref('int_policy_years') }}

),

parameters as (

    select * from {{ ref('int_policy_parameters') }}

),

submitters as (

    select * from {{ ref('int_submitters') }}

),

all_applications as (

    select * from {{ ref('int_applications') }}

),

applications as (

    {{ rule_applications() }}

),

posts as (

    select * from {{ ref('stg_post_structure__units') }}

),

senders as (

    select
        year,
        submitter_code
    from all_applications
    union
    select
        year,
        submitter_code
    from posts

),

subjects as (

    select
        senders.year,
        senders.submitter_code,
        submitters.submitter_kind,
    from senders
    inner join submitters
        on senders.submitter_code = submitters.submitter_code
    where
        submitters.submitter_kind in ('region', 'department')
        and senders.year in (select policy_years.year from policy_years)

),

over_post as (

    select
        year,
        submitter_code,
        count(*) as over_post_applications,
    from applications
    where unit_nature = '事业单位' and is_senior and coalesce(over_post, false)
    group by year, submitter_code

),

post_totals as (

    select
        year,
        submitter_code,
        sum(senior_posts_set) as senior_posts_set,
    from posts
    group by year, submitter_code

),

checked as (

    select
        subjects.year,
        subjects.submitter_code,
        subjects.submitter_kind,
        coalesce(post_totals.senior_posts_set, 0) as senior_posts_set,
        coalesce(over_post.over_post_applications, 0) as over_post_applications,
        cast(parameters.overpost_ratio as decimal(18, 6)) * coalesce(post_totals.senior_posts_set, 0) as exact_limit,
        parameters.overpost_ratio,
    from subjects
    left join parameters
        on subjects.year = parameters.year
    left join over_post
        on
            subjects.year = over_post.year
            and subjects.submitter_code = over_post.submitter_code
    left join post_totals
        on
            subjects.year = post_totals.year
            and subjects.submitter_code = post_totals.submitter_code

),

final as (

    select
        year,
        {{ quota_columns(
            'QTA-02',
            'submitter_code',
            'cast(exact_limit as double)',
            'cast(over_post_applications as double)',
            'coalesce(over_post_applications <= exact_limit, false)'
        ) }},
        {%- set detail -%}
            '事业单位高级职称超岗申报' || cast(over_post_applications as varchar) || '人，已设高级岗位'
            || cast(senior_posts_set as varchar) || '个，超岗申报上限为岗位数的'
            || {{ rule_fmt_num('cast(overpost_ratio as decimal(18, 6)) * 100') }}
            || '%即'
            || {{ rule_fmt_num('cast(exact_limit as double)') }}
            || '人'
        {%- endset %}
        {{ rule_columns(
            'QTA-02',
            'submitter_code',
            detail=detail,
            submitter_code='submitter_code',
            region_code=submitter_region()
        ) }},
    from checked

)

select * from final
