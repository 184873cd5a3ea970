-- 日程执行情况：每个 年度 × 要求（SCH-01…05）× 对象 一行。compliant = false 的行在 marts.findings 中各有一条发现
-- （SCH-02 有按期延期申请时为提示）。带标签 schedule 的规则模型按列合并（宏 rule_union_mart，与 marts.quota_compliance 共用）。
-- depends_on: {{ ref("int_rule_sch_01") }} {{ ref("int_rule_sch_02") }} {{ ref("int_rule_sch_03") }}
-- depends_on: {{ ref("int_rule_sch_04") }} {{ ref("int_rule_sch_05") }}

{{ rule_union_mart('schedule', {
    'year': 'integer',
    'requirement_code': none,
    'subject_type': none,
    'subject_code': none,
    'due_date': 'date',
    'actual_date': 'date',
    'compliant': none,
}) }}
