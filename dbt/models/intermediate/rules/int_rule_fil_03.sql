-- FIL-03 三(一)：同一网上申报编号出现在多个报送方的当前花名册中（每个编号一条）。
-- 这些编号不参加其它任何规则与统计。

with

applications as (

    select * from {{ ref('int_applications') }}
    where
        is_ambiguous
        and {{ is_policy_year('year') }}

),

numbers as (

    select
        year,
        application_no,
        min(submitter_code) as submitter_code,
        string_agg(distinct submitter_code, '、' order by submitter_code) as submitter_list,
        count(distinct submitter_code) as submitter_count,
        {{ first_source_row({
            'committee_code': 'committee_code',
            'region_code': 'region_code',
            'series': 'series',
            'level': 'level',
        }, first_by=['submitter_code']) }},
    from applications
    group by year, application_no

),

{%- set detail -%}
    '网上申报编号' || application_no || '同时出现在' || cast(submitter_count as varchar) || '个报送方（'
    || submitter_list || '）的花名册中，该编号不予统计和评审，请核实后由一个报送方报送'
{%- endset %}

final as (

    select {{ rule_application_columns('FIL-03', detail=detail, source_file='source_file', source_row='source_row') }},
    from numbers

)

select * from final
