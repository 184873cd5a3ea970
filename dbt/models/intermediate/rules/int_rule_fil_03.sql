-- FIL-03 三(一)：同一网上申报编号出现在多个报送方的当前花名册中（每个编号一条）。
-- 这些编号不参加其它任何规则与统计。

with

applications as (

    select * from {{ ref('int_applications') }}
    where
        is_ambiguous
        and year in (select policy_years.year from {{ ref('int_policy_years') }} as policy_years)

),

numbers as (

    select
        year,
        application_no,
        min(submitter_code) as submitter_code,
        string_agg(distinct submitter_code, '、' order by submitter_code) as submitter_list,
        count(distinct submitter_code) as submitter_count,
        arg_min(committee_code, [submitter_code, _source_file, cast(_source_row as varchar)]) as committee_code,
        arg_min(region_code, [submitter_code, _source_file, cast(_source_row as varchar)]) as region_code,
        arg_min(series, [submitter_code, _source_file, cast(_source_row as varchar)]) as series,
        arg_min(level, [submitter_code, _source_file, cast(_source_row as varchar)]) as level,
        arg_min(_source_file, [submitter_code, _source_file, cast(_source_row as varchar)]) as source_file,
        arg_min(_source_row, [submitter_code, _source_file, cast(_source_row as varchar)]) as source_row,
    from applications
    group by year, application_no

),

final as (

    select
        year,
        {%- set detail -%}
            '网上申报编号' || application_no || '同时出现在' || cast(submitter_count as varchar) || '个报送方（'
            || submitter_list || '）的花名册中，该编号不予统计和评审，请核实后由一个报送方报送'
        {%- endset %}
        {{ rule_columns(
            'FIL-03',
            'application_no',
            detail=detail,
            submitter_code='submitter_code',
            committee_code='committee_code',
            region_code='region_code',
            series='series',
            level='level',
            source_file='source_file',
            source_row='source_row'
        ) }},
    from numbers

)

select * from final
