-- SCH-05 四(十) DIRECTED-POSTS：每个 市辖区、旗县 须报送定向评价岗位表（F3），且最晚报送日期不晚于截止日。
-- 每个 年度 × 地区 一行；compliant = false 即一条违规发现。

with

policy_years as (

    select * from {{ ref('int_policy_years') }}

),

submitters as (

    select * from {{ ref('int_submitters') }}

),

deadlines as (

    select * from {{ ref('int_policy_deadlines') }}

),

fields as (

    select * from {{ ref('stg_directed_posts__fields') }}

),

regions as (

    select
        policy_years.year,
        submitters.submitter_code as region_code,
        submitters.submitter_name,
    from policy_years
    cross join submitters
    where submitters.submitter_kind = 'region' and submitters.region_kind in ('市辖区', '旗县')

),

sent as (

    select
        year,
        submitter_code as region_code,
        count(*) as field_rows,
        max(submitted_date) as last_date,
    from fields
    group by year, submitter_code

),

checked as (

    select
        regions.*,
        deadlines.directed_posts as deadline,
        coalesce(sent.field_rows, 0) as field_rows,
        sent.last_date,
    from regions
    left join deadlines
        on regions.year = deadlines.year
    left join sent
        on
            regions.year = sent.year
            and regions.region_code = sent.region_code

),

final as (

    select
        year,
        {{ schedule_columns(
            'DIRECTED-POSTS',
            'region_code',
            'deadline',
            'last_date',
            'coalesce(field_rows > 0 and last_date <= deadline, false)'
        ) }},
        {%- set detail -%}
            case
                when field_rows = 0
                    then submitter_name || '没有报送定向评价岗位表（截止日' || {{ rule_fmt_date('deadline') }} || '）'
                else
                    submitter_name || '定向评价岗位表报送日期' || {{ rule_fmt_date('last_date') }} || '，晚于截止日'
                    || {{ rule_fmt_date('deadline') }}
            end
        {%- endset %}
        {{ rule_columns(
            'SCH-05', 'region_code', detail=detail, submitter_code='region_code', region_code='region_code'
        ) }},
    from checked

)

select * from final
