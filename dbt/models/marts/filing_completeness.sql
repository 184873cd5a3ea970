-- 报送完整性：年度 × 报送方 一行（每个 市辖区/旗县 类地区，和每个报送了 F1 的报送方），只含政策年份。
-- complete = 五项都满足：有花名册、花名册公示合格（PUB-02）、材料报送已签字盖章、工作情况总结报告、公示结果报告。

with

filing as (

    select * from {{ ref('int_submitter_filing') }}

),

policy_years as (

    select * from {{ ref('int_policy_years') }}

),

final as (

    select
        filing.year,
        filing.submitter_code,
        filing.has_roster,
        filing.roster_publicity_ok,
        filing.materials_ok,
        filing.summary_report_ok,
        filing.publicity_report_ok,
        (
            filing.has_roster
            and filing.roster_publicity_ok
            and filing.materials_ok
            and filing.summary_report_ok
            and filing.publicity_report_ok
        ) as complete
    from filing
    inner join policy_years
        on filing.year = policy_years.year

)

select * from final
