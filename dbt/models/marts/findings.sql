-- 规则发现：每个规则违反一行（rules.md 全部规则）。配额与日程类规则取 marts.quota_compliance /
-- marts.schedule_adherence 同一规则模型中 compliant = false 的行，保证每条规则只有一处判断。
-- finding_id：year|rule_id|subject_type|subject_key|committee_code|series|level|source_file|source_row|detail 的 md5。

{%- set finding_columns = [
    'year', 'rule_id', 'severity', 'subject_type', 'subject_key', 'submitter_code', 'committee_code',
    'region_code', 'series', 'level', 'clause', 'detail', 'source_file', 'source_row',
] %}
{%- set plain_rules = [
    'int_rule_elg_01', 'int_rule_elg_02', 'int_rule_elg_03', 'int_rule_elg_04', 'int_rule_elg_05',
    'int_rule_elg_06', 'int_rule_elg_07', 'int_rule_elg_08', 'int_rule_elg_09', 'int_rule_elg_10',
    'int_rule_elg_11', 'int_rule_elg_12', 'int_rule_elg_13',
    'int_rule_chn_01', 'int_rule_chn_02', 'int_rule_chn_03', 'int_rule_chn_04', 'int_rule_chn_05',
    'int_rule_pos_01', 'int_rule_pos_02', 'int_rule_pos_03',
    'int_rule_pub_01', 'int_rule_pub_02', 'int_rule_pub_03', 'int_rule_pub_04',
    'int_rule_fil_01', 'int_rule_fil_02', 'int_rule_fil_03',
    'int_rule_com_01', 'int_rule_com_02', 'int_rule_com_03', 'int_rule_com_04',
    'int_rule_int_01',
] %}
{%- set checked_rules = [
    'int_rule_qta_01', 'int_rule_qta_02', 'int_rule_qta_03', 'int_rule_qta_04',
    'int_rule_sch_01', 'int_rule_sch_02', 'int_rule_sch_03', 'int_rule_sch_04', 'int_rule_sch_05',
] %}

with

plain_findings as (

    {{ rule_union(plain_rules, finding_columns) }}

),

checked_findings as (

    {{ rule_union(checked_rules, finding_columns, where='not compliant') }}

),

unioned as (

    select * from plain_findings
    union all
    select * from checked_findings

),

final as (

    select
        md5(
            concat_ws(
                '|',
                cast(year as varchar),
                rule_id,
                subject_type,
                subject_key,
                coalesce(committee_code, ''),
                coalesce(series, ''),
                coalesce(level, ''),
                coalesce(source_file, ''),
                coalesce(cast(source_row as varchar), ''),
                detail
            )
        ) as finding_id,
        cast(year as integer) as year,
        rule_id,
        severity,
        subject_type,
        subject_key,
        submitter_code,
        committee_code,
        region_code,
        series,
        level,
        clause,
        coalesce(detail, rule_id) as detail,
        source_file,
        cast(source_row as integer) as source_row,
    from unioned

)

select * from final
