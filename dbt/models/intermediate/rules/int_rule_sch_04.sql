-- SCH-04 六(六) RESULT-FILED：旗县区评委会与自主评审评委会（有计入统计的评审结果）须在评审结果公示
-- 结束后（有公示时）、评审工作结束后 RESULT_FILING_MONTHS 个月内（同日；该月无此日取月末）报送核准备案报告。
-- 每个 年度 × 评委会 一行；compliant = false 即一条违规发现。

with

committee_years as (

    select * from {{ ref('int_committee_years') }}
    where
        scope in ('旗县区', '自主评审')
        and year in (select policy_years.year from {{ ref('int_policy_years') }} as policy_years)

),

parameters as (

    select * from {{ ref('int_policy_parameters') }}

),

events as (

    select * from {{ ref('int_work_events') }}
    where event_type = '核准备案报告'

),

due as (

    select
        committee_years.* exclude (result_filing_due_date),
        {{ add_months_clamped('committee_years.evaluation_work_end', 'parameters.result_filing_months') }}
            as result_filing_due_date,
    from committee_years
    inner join parameters
        on committee_years.year = parameters.year

),

filings as (

    select
        due.year,
        due.committee_code,
        count(events.event_type) as filing_rows,
        min(
            case
                when
                    events.submitted_date <= due.result_filing_due_date
                    and (
                        due.results_publicity_end is null
                        or events.submitted_date > due.results_publicity_end
                    )
                    then events.submitted_date
            end
        ) as first_timely_date,
        max(events.submitted_date) as last_date,
    from due
    left join events
        on
            due.year = events.year
            and due.committee_code = events.committee_code
    group by due.year, due.committee_code

),

checked as (

    select
        due.*,
        filings.filing_rows,
        filings.first_timely_date,
        filings.last_date,
    from due
    inner join filings
        on
            due.year = filings.year
            and due.committee_code = filings.committee_code

),

final as (

    select
        year,
        'RESULT-FILED' as requirement_code,
        committee_code as subject_code,
        result_filing_due_date as due_date,
        coalesce(first_timely_date, last_date) as actual_date,
        first_timely_date is not null as compliant,
        'SCH-04' as rule_id,
        '违规' as severity,
        'committee' as subject_type,
        committee_code as subject_key,
        committee_code as submitter_code,
        committee_code,
        cast(null as varchar) as region_code,
        cast(null as varchar) as series,
        cast(null as varchar) as level,
        '六(六)' as clause,
        case
            when filing_rows = 0
                then
                    '评委会' || committee_code || '没有报送核准备案报告（应在' || {{ rule_fmt_date('result_filing_due_date') }}
                    || '前报送）'
            when last_date <= results_publicity_end
                then
                    '评委会' || committee_code || '核准备案报告报送日期' || {{ rule_fmt_date('last_date') }}
                    || '，早于评审结果公示结束（' || {{ rule_fmt_date('results_publicity_end') }} || '）'
            else
                '评委会' || committee_code || '核准备案报告报送日期' || {{ rule_fmt_date('last_date') }}
                || '，晚于最迟报送日' || {{ rule_fmt_date('result_filing_due_date') }} || '（评审工作结束'
                || {{ rule_fmt_date('evaluation_work_end') }} || '后一个月内）'
        end as detail,
        cast(null as varchar) as source_file,
        cast(null as integer) as source_row,
    from checked

)

select * from final
