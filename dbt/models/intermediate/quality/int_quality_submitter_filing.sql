-- 质量检查（FIL-01 六(二)、PUB-02 五(二)）用：每个 年度 × 报送了 F1 的地区或市直主管部门一行。
-- 各项报送的日期（没有则为空）：签字盖章的材料报送（最早一条）、工作情况总结报告、公示结果报告；
-- 花名册公示取「最有利」的一行：先取结束日期早于材料报送日期的行（没有材料报送行时所有行都算），
-- 再取工作日数最多的，再取结束最早的。只给出事实列，合格与否由 expectations/ 中的期望判断。

with

filing as (

    select * from {{ ref('int_submitter_filing') }}
    where has_roster and submitter_kind in ('region', 'department')

),

events as (

    select * from {{ ref('int_work_events') }}

),

submitted as (

    select
        year,
        submitter_code,
        min(case when event_type = '材料报送' and signed_sealed then submitted_date end) as materials_signed_date,
        min(case when event_type = '工作情况总结报告' then submitted_date end) as summary_report_date,
        min(case when event_type = '公示结果报告' then submitted_date end) as publicity_report_date,
    from events
    group by year, submitter_code

),

roster_publicity_ranked as (

    select
        filing.year,
        filing.submitter_code,
        events.start_date,
        events.end_date,
        events.publicity_workdays,
        row_number() over (
            partition by filing.year, filing.submitter_code
            order by
                coalesce(
                    filing.materials_last_date is null or events.end_date < filing.materials_last_date, false
                ) desc,
                events.publicity_workdays desc nulls last,
                events.end_date asc nulls last
        ) as pick_rank,
    from filing
    inner join events
        on
            filing.year = events.year
            and filing.submitter_code = events.submitter_code
            and events.event_type = '花名册公示'

),

roster_publicity as (

    select * from roster_publicity_ranked
    where pick_rank = 1

),

final as (

    select
        filing.year,
        filing.submitter_code,
        filing.submitter_kind,
        filing.materials_last_date,
        submitted.materials_signed_date,
        submitted.summary_report_date,
        submitted.publicity_report_date,
        roster_publicity.start_date as roster_publicity_start,
        roster_publicity.end_date as roster_publicity_end,
        roster_publicity.publicity_workdays as roster_publicity_workdays,
    from filing
    left join submitted
        on
            filing.year = submitted.year
            and filing.submitter_code = submitted.submitter_code
    left join roster_publicity
        on
            filing.year = roster_publicity.year
            and filing.submitter_code = roster_publicity.submitter_code

)

select * from final
