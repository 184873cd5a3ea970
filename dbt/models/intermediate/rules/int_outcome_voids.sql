-- 计入统计的每个评审结果（当前、编号无歧义、与花名册一致）一行，标明是否无效（rules.md 的 void）：
-- ELG-01、CHN-05、COM-03（按申报）；CHN-03、SCH-03 没有方案备案、PUB-03 没有结果公示（按评委会）。
-- is_void 为真者 outcome_valid = false、不计入 passed_valid；void_rule_ids 为逗号分隔的规则编号（有效时为空）。

with

outcomes as (

    select * from {{ ref('int_outcomes') }}
    where
        is_counted
        and year in (select policy_years.year from {{ ref('int_policy_years') }} as policy_years)

),

application_voids as (

    select
        year,
        subject_key as application_no,
        rule_id
    from {{ ref('int_rule_elg_01') }}
    where voids_outcomes
    union all
    select
        year,
        subject_key as application_no,
        rule_id
    from {{ ref('int_rule_chn_05') }}
    where voids_outcomes
    union all
    select
        year,
        subject_key as application_no,
        rule_id
    from {{ ref('int_rule_com_03') }}
    where voids_outcomes

),

committee_voids as (

    select
        year,
        committee_code,
        rule_id
    from {{ ref('int_rule_chn_03') }}
    where voids_outcomes
    union all
    select
        year,
        committee_code,
        rule_id
    from {{ ref('int_rule_sch_03') }}
    where voids_outcomes
    union all
    select
        year,
        committee_code,
        rule_id
    from {{ ref('int_rule_pub_03') }}
    where voids_outcomes

),

matched_rules as (

    select
        outcomes.year,
        outcomes.committee_code,
        outcomes.application_no,
        application_voids.rule_id,
    from outcomes
    inner join application_voids
        on
            outcomes.year = application_voids.year
            and outcomes.application_no = application_voids.application_no

    union

    select
        outcomes.year,
        outcomes.committee_code,
        outcomes.application_no,
        committee_voids.rule_id,
    from outcomes
    inner join committee_voids
        on
            outcomes.year = committee_voids.year
            and outcomes.committee_code = committee_voids.committee_code

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
