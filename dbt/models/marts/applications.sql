-- 每个当前、编号无歧义的申报一行（不含姓名、身份证号）。
-- outcome：计入统计的 F5 结果（通过/未通过），没有则为 未评审；
-- outcome_valid：有结果时 = 未被任何规则判为无效（宏 counted_outcomes 读 int_outcome_voids），未评审为空。

with

applications as (

    select * from {{ ref('int_applications') }}
    where not is_ambiguous

),

policy_years as (

    select * from {{ ref('int_policy_years') }}

),

outcomes as (

    {{ counted_outcomes() }}

),

final as (

    select
        applications.year,
        applications.application_no,
        applications.person_key,
        applications.submitter_code,
        applications.region_code,
        applications.unit_name_normalised as unit_name,
        applications.series,
        applications.level,
        applications.route,
        applications.committee_code,
        outcomes.group_name,
        coalesce(outcomes.outcome, '未评审') as outcome,
        case
            when outcomes.application_no is not null then not outcomes.is_void
        end as outcome_valid
    from applications
    inner join policy_years
        on applications.year = policy_years.year
    left join outcomes
        on
            applications.year = outcomes.year
            and applications.application_no = outcomes.application_no
            and applications.committee_code = outcomes.committee_code

)

select * from final
