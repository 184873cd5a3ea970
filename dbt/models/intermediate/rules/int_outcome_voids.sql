-- 计入统计的每个评审结果（当前、编号无歧义、与花名册一致）一行，标明是否无效（rules.md 的 void）：
-- ELG-01、CHN-05、COM-03（按申报）；CHN-03、SCH-03 没有方案备案、PUB-03 没有结果公示（按评委会）。
-- is_void 为真者 outcome_valid = false、不计入 passed_valid；void_rule_ids 为逗号分隔的规则编号（有效时为空）。

with

outcomes as (

    select * from {{ ref('int_outcomes') }}
    where
        is_counted
        and {{ is_policy_year('year') }}

),

-- 使结果无效的发现：申报类（subject_key 即申报编号）与评委会类（按 committee_code）的规则模型中 voids_outcomes 的行
voiding_findings as (

    {{ union_models(
        ['int_rule_elg_01', 'int_rule_chn_05', 'int_rule_com_03', 'int_rule_chn_03', 'int_rule_sch_03', 'int_rule_pub_03'],
        ['year', 'subject_type', 'subject_key', 'committee_code', 'rule_id'],
        where='voids_outcomes',
    ) }}

),

matched_rules as (

    select distinct
        outcomes.year,
        outcomes.committee_code,
        outcomes.application_no,
        voiding_findings.rule_id,
    from outcomes
    inner join voiding_findings
        on
            outcomes.year = voiding_findings.year
            and (
                (
                    voiding_findings.subject_type = 'application'
                    and outcomes.application_no = voiding_findings.subject_key
                )
                or (
                    voiding_findings.subject_type = 'committee'
                    and outcomes.committee_code = voiding_findings.committee_code
                )
            )

),

rule_lists as (

    select
        year,
        committee_code,
        application_no,
        string_agg(distinct rule_id, ',' order by rule_id) as void_rule_ids,
    from matched_rules
    group by year, committee_code, application_no

),

final as (

    select
        outcomes.year,
        outcomes.committee_code,
        outcomes.application_no,
        rule_lists.void_rule_ids is not null as is_void,
        rule_lists.void_rule_ids,
    from outcomes
    left join rule_lists
        on
            outcomes.year = rule_lists.year
            and outcomes.committee_code = rule_lists.committee_code
            and outcomes.application_no = rule_lists.application_no

)

select * from final
