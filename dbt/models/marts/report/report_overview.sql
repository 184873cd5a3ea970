-- 报告“总体情况”：每个年度一行，申报与评审、文件与数据行、发现问题的总数与通过率。

with

applications as (

    select * from {{ ref('applications') }}

),

load_audit as (

    select * from {{ ref('load_audit') }}

),

findings as (

    select * from {{ ref('findings') }}

),

years as (

    select year from applications
    union
    select year from load_audit
    union
    select year from findings

),

application_totals as (

    select
        year,
        count(*) as applications,
        count(*) filter (where outcome <> '未评审') as evaluated,
        count(*) filter (where outcome = '通过') as passed,
        count(*) filter (where outcome = '通过' and outcome_valid) as passed_valid,
        count(*) filter (where outcome = '通过' and not coalesce(outcome_valid, true)) as passed_void,
        count(*) filter (where outcome = '未评审') as not_evaluated,
        count(distinct submitter_code) as submitters,
        count(distinct committee_code) filter (where outcome <> '未评审') as committees,
    from applications
    group by year

),

file_totals as (

    select
        year,
        count(distinct file) as files,
        count(*) as sheets,
        count(*) filter (where form = '未识别') as sheets_unrecognised,
        count(distinct submitter_code) as senders,
        coalesce(sum(rows_read), 0) as rows_read,
        coalesce(sum(rows_loaded), 0) as rows_loaded,
        coalesce(sum(rows_quarantined), 0) as rows_quarantined,
        count(*) filter (where superseded) as sheets_superseded,
    from load_audit
    group by year

),

finding_totals as (

    select
        year,
        count(*) as findings,
        count(*) filter (where severity = '违规') as breaches,
        count(*) filter (where severity = '提示') as advisories,
        count(distinct rule_id) as rules,
        count(distinct submitter_code) filter (where severity = '违规') as submitters_to_correct,
    from findings
    group by year

),

final as (

    select
        years.year,
        coalesce(a.applications, 0) as applications,
        coalesce(a.evaluated, 0) as evaluated,
        coalesce(a.passed, 0) as passed,
        coalesce(a.passed_valid, 0) as passed_valid,
        coalesce(a.passed_void, 0) as passed_void,
        coalesce(a.not_evaluated, 0) as not_evaluated,
        coalesce(a.submitters, 0) as submitters,
        coalesce(a.committees, 0) as committees,
        coalesce(f.files, 0) as files,
        coalesce(f.sheets, 0) as sheets,
        coalesce(f.sheets_unrecognised, 0) as sheets_unrecognised,
        coalesce(f.senders, 0) as senders,
        cast(coalesce(f.rows_read, 0) as bigint) as rows_read,
        cast(coalesce(f.rows_loaded, 0) as bigint) as rows_loaded,
        cast(coalesce(f.rows_quarantined, 0) as bigint) as rows_quarantined,
        coalesce(f.sheets_superseded, 0) as sheets_superseded,
        coalesce(n.findings, 0) as findings,
        coalesce(n.breaches, 0) as breaches,
        coalesce(n.advisories, 0) as advisories,
        coalesce(n.rules, 0) as rules,
        coalesce(n.submitters_to_correct, 0) as submitters_to_correct,
        a.passed / nullif(a.evaluated, 0) as pass_rate,
        a.passed_valid / nullif(a.evaluated, 0) as pass_rate_valid,
    from years
    left join application_totals as a on years.year = a.year
    left join file_totals as f on years.year = f.year
    left join finding_totals as n on years.year = n.year

)

select * from final
