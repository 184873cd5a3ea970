-- FIL-01 六(二)：报送了 F1 的地区、市直主管部门须报送：签字盖章的材料报送、工作情况总结报告、公示结果报告
-- （每缺一项一条）。

with

filing as (

    {{ rule_filing_submitters() }}

),

missing as (

    select
        year,
        submitter_code,
        submitter_kind,
        case when has_materials then '材料报送未签字盖章' else '缺少材料报送（签字盖章）' end as item,
    from filing
    where not materials_ok

    union all

    select
        year,
        submitter_code,
        submitter_kind,
        '缺少工作情况总结报告' as item,
    from filing
    where not summary_report_ok

    union all

    select
        year,
        submitter_code,
        submitter_kind,
        '缺少公示结果报告' as item,
    from filing
    where not publicity_report_ok

),

final as (

    select
        year,
        {%- set detail -%}
            item || '（工作事项记录中没有相应记录）'
        {%- endset %}
        {{ rule_columns(
            'FIL-01',
            'submitter_code',
            detail=detail,
            submitter_code='submitter_code',
            region_code=submitter_region()
        ) }},
    from missing

)

select * from final
