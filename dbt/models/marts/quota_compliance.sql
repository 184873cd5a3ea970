-- 配额执行情况：每个 年度 × 配额（QTA-01…04）× 范围 一行。compliant = false 的行在 marts.findings 中各有一条违规。
-- 带标签 quota 的规则模型按列合并（宏 rule_union_mart，与 marts.schedule_adherence 共用）。
-- depends_on: {{ ref("int_rule_qta_01") }} {{ ref("int_rule_qta_02") }} {{ ref("int_rule_qta_03") }}
-- depends_on: {{ ref("int_rule_qta_04") }}

{{ rule_union_mart('quota', {
    'year': 'integer',
    'quota_code': none,
    'scope_type': none,
    'scope_code': none,
    'limit_value': 'double',
    'actual_value': 'double',
    'compliant': none,
}) }}
