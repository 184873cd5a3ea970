-- 报送方的公示与报送情况（PUB-02、FIL-01、marts.filing_completeness 共用）：
-- 每个政策年份 × 每个 市辖区/旗县 类地区一行，另加报送了 F1 的每个 年度 × 报送方。
-- 依据报送方自己报送的当前 F4 行（按报送方代码匹配）：
-- roster_publicity_ok：有一条充分的花名册公示，且（没有材料报送行，或）其结束日期早于某条材料报送行的报送日期；
-- materials_ok：有签字盖章 = 是 的材料报送行；summary_report_ok / publicity_report_ok：有工作情况总结报告 / 公示结果报告行。

with

applications as (

    select * from {{ ref('int_applications') }}

),

submitters as (

    select * from {{ ref('int_submitters') }}

),

policy_years as (

    select * from {{ ref('int_policy_years') }}

),

events as (

    select * from {{ ref('int_work_events') }}

),

roster_senders as (

    select
        year,
        submitter_code,
        count(*) as roster_rows
    from applications
    group by year, submitter_code

),

county_regions as (

    select
        policy_years.year,
        submitters.submitter_code
    from policy_years
    cross join submitters
    where submitters.submitter_kind = 'region' and submitters.region_kind in ('市辖区', '旗县')

),

subjects as (

    select
        year,
        submitter_code
    from county_regions

    union

    select
        year,
        submitter_code
    from roster_senders

),

materials as (

    select
        year,
        submitter_code,
        count(*) as materials_rows,
        bool_or(coalesce(signed_sealed, false)) as materials_signed,
        min(submitted_date) as materials_first_date,
        max(submitted_date) as materials_last_date
    from events
    where event_type = '材料报送'
    group by year, submitter_code

),

roster_publicity as (

    select
        year,
        submitter_code,
        count(*) as roster_publicity_rows,
        bool_or(publicity_adequate) as roster_publicity_adequate,
        min(case when publicity_adequate then end_date end) as roster_publicity_first_adequate_end
    from events
    where event_type = '花名册公示'
    group by year, submitter_code

),

reports as (

    select
        year,
        submitter_code,
        bool_or(event_type = '工作情况总结报告') as has_summary_report,
        bool_or(event_type = '公示结果报告') as has_publicity_report
    from events
    group by year, submitter_code

),

final as (

    select
        subjects.year,
        subjects.submitter_code,
        submitters.submitter_kind,
        submitters.region_kind,
        coalesce(roster_senders.roster_rows, 0) > 0 as has_roster,
        coalesce(roster_senders.roster_rows, 0) as roster_rows,
        coalesce(materials.materials_rows, 0) > 0 as has_materials,
        materials.materials_last_date,
        coalesce(roster_publicity.roster_publicity_adequate, false) as roster_publicity_adequate,
        roster_publicity.roster_publicity_first_adequate_end,
        coalesce(
            roster_publicity.roster_publicity_adequate
            and (
                materials.materials_rows is null
                or roster_publicity.roster_publicity_first_adequate_end < materials.materials_last_date
            ),
            false
        ) as roster_publicity_ok,
        coalesce(materials.materials_signed, false) as materials_ok,
        coalesce(reports.has_summary_report, false) as summary_report_ok,
        coalesce(reports.has_publicity_report, false) as publicity_report_ok
    from subjects
    left join submitters
        on subjects.submitter_code = submitters.submitter_code
    left join roster_senders
        on
            subjects.year = roster_senders.year
            and subjects.submitter_code = roster_senders.submitter_code
    left join materials
        on
            subjects.year = materials.year
            and subjects.submitter_code = materials.submitter_code
    left join roster_publicity
        on
            subjects.year = roster_publicity.year
            and subjects.submitter_code = roster_publicity.submitter_code
    left join reports
        on
            subjects.year = reports.year
            and subjects.submitter_code = reports.submitter_code

)

select * from final
