-- 质量检查（FIL-01 六(二)、PUB-02 五(二)）用：每个 年度 × 报送了 F1 的地区或市直主管部门一行。
-- 各项报送的日期（没有则为空）：签字盖章的材料报送（最早一条）、工作情况总结报告、公示结果报告；
-- 花名册公示取 PUB-02 所认的那一行（int_submitter_filing 的 roster_publicity_*，规则与质量检查共用）。
-- 只给出事实列，合格与否由 expectations/ 中的期望判断。

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

final as (

    select
        filing.year,
        filing.submitter_code,
        filing.submitter_kind,
        filing.materials_last_date,
        submitted.materials_signed_date,
        submitted.summary_report_date,
        submitted.publicity_report_date,
        filing.roster_publicity_start,
        filing.roster_publicity_end,
        filing.roster_publicity_workdays,
    from filing
    left join submitted
        on
            filing.year = submitted.year
            and filing.submitter_code = submitted.submitter_code

)

select * from final
