-- COM-04 六(六)：评审结果（F5）须与花名册（F1）一致：编号在当年当前花名册中，身份证号、申报系列、
-- 申报级别、评委会都相同（歧义编号除外）。不一致的结果不计入任何统计。每个 年度 × 评委会 × 编号 一条。

with

outcomes as (

    select * from {{ ref('int_outcomes') }}
    where
        mismatch_reason is not null
        and {{ is_policy_year('year') }}

),

submitters as (

    select * from {{ ref('int_submitters') }}

),

deduplicated as (

    select
        year,
        committee_code,
        application_no,
        {{ first_source_row({
            'mismatch_reason': 'mismatch_reason',
            'application_submitter_code': 'application_submitter_code',
            'outcome_submitter_code': 'submitter_code',
            'series': 'series',
            'level': 'level',
        }) }},
    from outcomes
    group by year, committee_code, application_no

),

final as (

    select
        deduplicated.year,
        {%- set detail -%}
            '评委会' || {{ rule_fmt_text('deduplicated.committee_code') }} || '报送的评审结果与花名册不一致：'
            || deduplicated.mismatch_reason || '；该结果不予统计'
        {%- endset %}
        {{ rule_columns(
            'COM-04',
            'deduplicated.application_no',
            detail=detail,
            submitter_code='coalesce(deduplicated.application_submitter_code, deduplicated.outcome_submitter_code)',
            committee_code='deduplicated.committee_code',
            region_code=submitter_region('submitters.submitter_kind', 'submitters.submitter_code'),
            series='deduplicated.series',
            level='deduplicated.level',
            source_file='deduplicated.source_file',
            source_row='deduplicated.source_row'
        ) }},
    from deduplicated
    left join submitters
        on
            coalesce(deduplicated.application_submitter_code, deduplicated.outcome_submitter_code)
            = submitters.submitter_code

)

select * from final
