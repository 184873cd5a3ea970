-- CHN-02 三：同一单位（规范化名称）同一系列同一级别的申报送往多个评委会（违规）。
-- 定向评价申报只与定向评价申报比较，其余只与其余比较；每个 单位 × 系列 × 级别 × 是否定向 一条。
-- 按 rules.md 字面：数当前、无歧义的 F1 行中写的不同评委会代码，未知或未备案的代码也算
-- （它们另报 CHN-03；CHN-04 明文排除未知代码，CHN-02 没有这样的排除）。

with

applications as (

    {{ rule_applications() }}

),

grouped as (

    select
        year,
        unit_name_normalised,
        series,
        level,
        route = '定向评价' as is_directed,
        count(distinct committee_code) as committee_count,
        string_agg(distinct committee_code, '、' order by committee_code) as committee_list,
        min(submitter_code) as submitter_code,
        arg_min(region_code, submitter_code) as region_code,
        {{ first_source_row(first_by=['submitter_code']) }},
    from applications
    where
        unit_name_normalised is not null
        and committee_code is not null
    group by year, unit_name_normalised, series, level, route = '定向评价'
    having count(distinct committee_code) > 1

),

final as (

    select
        year,
        {%- set detail -%}
            '单位“' || unit_name_normalised || '”的' || series || '系列' || level
            || case when is_directed then '定向评价' else '' end || '申报分别送往' || cast(committee_count as varchar)
            || '个评委会（' || committee_list || '），同一单位同一系列同一级别只能由一个评委会评审'
        {%- endset %}
        {{ rule_columns(
            'CHN-02',
            'unit_name_normalised',
            detail=detail,
            submitter_code='submitter_code',
            region_code='region_code',
            series='series',
            level='level',
            source_file='source_file',
            source_row='source_row'
        ) }},
    from grouped

)

select * from final
