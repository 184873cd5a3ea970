-- 规则发现：每个规则违反一行（rules.md 全部规则）。配额与日程类规则取 marts.quota_compliance /
-- marts.schedule_adherence 同一规则模型中 compliant = false 的行，保证每条规则只有一处判断。
-- 合并哪些模型由标签 rule 决定（rule_columns 宏给调用它的模型打上这个标签），这里不列模型；
-- 下面的 depends_on 只声明构建先后（解析时 graph 还是空的），漏写一行 dbt 会报错并给出那一行，
-- tests/rules/test_rule_registry.py 还检查它与登记表、标签一致。
-- finding_id：year|rule_id|subject_type|subject_key|committee_code|series|level|source_file|source_row|detail 的 md5。

-- depends_on: {{ ref('int_rule_elg_01') }} {{ ref('int_rule_elg_02') }} {{ ref('int_rule_elg_03') }}
-- depends_on: {{ ref('int_rule_elg_04') }} {{ ref('int_rule_elg_05') }} {{ ref('int_rule_elg_06') }}
-- depends_on: {{ ref('int_rule_elg_07') }} {{ ref('int_rule_elg_08') }} {{ ref('int_rule_elg_09') }}
-- depends_on: {{ ref('int_rule_elg_10') }} {{ ref('int_rule_elg_11') }} {{ ref('int_rule_elg_12') }}
-- depends_on: {{ ref('int_rule_elg_13') }} {{ ref('int_rule_chn_01') }} {{ ref('int_rule_chn_02') }}
-- depends_on: {{ ref('int_rule_chn_03') }} {{ ref('int_rule_chn_04') }} {{ ref('int_rule_chn_05') }}
-- depends_on: {{ ref('int_rule_qta_01') }} {{ ref('int_rule_qta_02') }} {{ ref('int_rule_qta_03') }}
-- depends_on: {{ ref('int_rule_qta_04') }} {{ ref('int_rule_pos_01') }} {{ ref('int_rule_pos_02') }}
-- depends_on: {{ ref('int_rule_pos_03') }} {{ ref('int_rule_sch_01') }} {{ ref('int_rule_sch_02') }}
-- depends_on: {{ ref('int_rule_sch_03') }} {{ ref('int_rule_sch_04') }} {{ ref('int_rule_sch_05') }}
-- depends_on: {{ ref('int_rule_pub_01') }} {{ ref('int_rule_pub_02') }} {{ ref('int_rule_pub_03') }}
-- depends_on: {{ ref('int_rule_pub_04') }} {{ ref('int_rule_fil_01') }} {{ ref('int_rule_fil_02') }}
-- depends_on: {{ ref('int_rule_fil_03') }} {{ ref('int_rule_com_01') }} {{ ref('int_rule_com_02') }}
-- depends_on: {{ ref('int_rule_com_03') }} {{ ref('int_rule_com_04') }} {{ ref('int_rule_int_01') }}

{%- set finding_columns = [
    'year', 'rule_id', 'severity', 'subject_type', 'subject_key', 'submitter_code', 'committee_code',
    'region_code', 'series', 'level', 'clause', 'detail', 'source_file', 'source_row',
] %}

with

unioned as (

    {{ rule_union('rule', finding_columns, where={'quota': 'not compliant', 'schedule': 'not compliant'}) }}

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
