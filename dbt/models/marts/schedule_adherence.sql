-- 日程执行情况：每个 年度 × 要求（SCH-01…05）× 对象 一行。compliant = false 的行在 marts.findings 中各有一条发现
-- （SCH-02 有按期延期申请时为提示）。
-- depends_on: {{ ref("int_rule_sch_01") }} {{ ref("int_rule_sch_02") }} {{ ref("int_rule_sch_03") }}
-- depends_on: {{ ref("int_rule_sch_04") }} {{ ref("int_rule_sch_05") }}

with

unioned as (

    {{ rule_union('schedule', [
        'year', 'requirement_code', 'subject_type', 'subject_code', 'due_date', 'actual_date', 'compliant',
    ]) }}

),

final as (

    select
        cast(year as integer) as year,
        requirement_code,
        subject_type,
        subject_code,
        cast(due_date as date) as due_date,
        cast(actual_date as date) as actual_date,
        compliant,
    from unioned

)

select * from final
