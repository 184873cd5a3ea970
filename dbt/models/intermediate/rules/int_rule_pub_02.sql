-- PUB-02 五(二)：报送了 F1 的地区、市直主管部门须有一条充分的花名册公示，且其结束日期早于材料报送日期
-- （没有材料报送行时只看是否充分；缺材料报送属 FIL-01）。

with

filing as (

    {{ rule_filing_submitters() }}

),

final as (

    select
        year,
        {%- set detail -%}
            case
                when not roster_publicity_adequate then '没有充分的花名册公示（须不少于规定的工作日数）'
                else
                    '花名册公示结束日期' || {{ rule_fmt_date('roster_publicity_first_adequate_end') }}
                    || '不早于材料报送日期' || {{ rule_fmt_date('materials_last_date') }} || '，应公示结束后再报送'
            end
        {%- endset %}
        {{ rule_columns(
            'PUB-02',
            'submitter_code',
            detail=detail,
            submitter_code='submitter_code',
            region_code=submitter_region()
        ) }},
    from filing
    where not roster_publicity_ok

)

select * from final
