-- 配额执行情况：每个 年度 × 配额（QTA-01…04）× 范围 一行。compliant = false 的行在 marts.findings 中各有一条违规。
-- depends_on: {{ ref("int_rule_qta_01") }} {{ ref("int_rule_qta_02") }} {{ ref("int_rule_qta_03") }}
-- depends_on: {{ ref("int_rule_qta_04") }}

with

unioned as (

    {{ rule_union('quota', [
        'year', 'quota_code', 'scope_type', 'scope_code', 'limit_value', 'actual_value', 'compliant',
    ]) }}

),

final as (

    select
        cast(year as integer) as year,
        quota_code,
        scope_type,
        scope_code,
        cast(limit_value as double) as limit_value,
        cast(actual_value as double) as actual_value,
        compliant,
    from unioned

)

select * from final
