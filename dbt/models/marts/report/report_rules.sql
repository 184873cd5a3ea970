-- 报告“违规问题及政策依据”：每个年度 × 规则 × 性质 × 条款一行，问题条数、涉及报送单位和申报数。

with

findings as (

    select * from {{ ref('findings') }}

),

final as (

    select
        year,
        rule_id,
        severity,
        clause,
        count(*) as findings,
        count(distinct submitter_code) as submitters,
        count(*) filter (where subject_type = 'application') as applications,
    from findings
    group by year, rule_id, severity, clause

)

select * from final
