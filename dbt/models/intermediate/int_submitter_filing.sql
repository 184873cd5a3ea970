-- 报送方的公示与报送情况（PUB-02、FIL-01、marts.filing_completeness 共用）：
-- 每个政策年份 × 每个 市辖区/旗县 类地区一行，另加报送了 F1 的每个 年度 × 报送方。
-- 依据报送方自己报送的当前 F4 行（按报送方代码匹配）：
-- roster_publicity_start / _end / _workdays：PUB-02 所认的那一条花名册公示（见 roster_publicity_ranked）；
-- roster_publicity_ok：这一条充分且（没有材料报送行，或）在最后一条材料报送的报送日期之前结束；
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

-- PUB-02 所认的花名册公示（规则与质量检查共用这一行）：先取在材料报送之前结束的（没有材料报送行时都算），
-- 再取充分的，再取工作日数最多的，再取结束最早、开始最早的。
roster_publicity_ranked as (

    select
        events.year,
        events.submitter_code,
        events.start_date,
        events.end_date,
        events.publicity_workdays,
        coalesce(events.publicity_adequate, false) as is_adequate,
        coalesce(
            materials.materials_last_date is null or events.end_date < materials.materials_last_date, false
        ) as ends_before_materials,
        row_number() over (
            partition by events.year, events.submitter_code
            order by
                coalesce(
                    materials.materials_last_date is null or events.end_date < materials.materials_last_date, false
                ) desc,
                coalesce(events.publicity_adequate, false) desc,
                events.publicity_workdays desc nulls last,
                events.end_date asc nulls last,
                events.start_date asc nulls last
        ) as pick_rank
    from events
    left join materials
        on
            events.year = materials.year
            and events.submitter_code = materials.submitter_code
    where events.event_type = '花名册公示'

),

roster_publicity_pick as (

    select * from roster_publicity_ranked
    where pick_rank = 1

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
        roster_publicity_pick.start_date as roster_publicity_start,
        roster_publicity_pick.end_date as roster_publicity_end,
        roster_publicity_pick.publicity_workdays as roster_publicity_workdays,
        coalesce(
            roster_publicity_pick.is_adequate and roster_publicity_pick.ends_before_materials, false
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
    left join roster_publicity_pick
        on
            subjects.year = roster_publicity_pick.year
            and subjects.submitter_code = roster_publicity_pick.submitter_code
    left join reports
        on
            subjects.year = reports.year
            and subjects.submitter_code = reports.submitter_code

)

select * from final
