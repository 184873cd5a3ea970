-- 质量检查（PUB-01，五(一)）用：每个当前、无歧义的申报一行，
-- 单位公示起止日期、公示工作日数（宏 workdays_between），及其报送方材料报送的报送日期
-- （与 int_submitter_filing 相同：最晚一条材料报送行；没有则为空，缺行属 FIL-01）。
-- 只给出事实列，是否合格由 expectations/publicity.py 的期望判断（阈值运行时读 policy_parameters）。

with

applications as (

    select * from {{ ref('int_applications') }}
    where not is_ambiguous

),

filing as (

    select * from {{ ref('int_submitter_filing') }}

),

final as (

    select
        applications.year,
        applications.application_no,
        applications.submitter_code,
        applications.unit_publicity_start,
        applications.unit_publicity_end,
        applications.unit_publicity_workdays,
        filing.materials_last_date as materials_submitted_date,
    from applications
    left join filing
        on
            applications.year = filing.year
            and applications.submitter_code = filing.submitter_code

)

select * from final
