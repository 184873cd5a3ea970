-- SCH-04 六(六) RESULT-FILED：旗县区评委会与自主评审评委会（有计入统计的评审结果）须在评审结果公示
-- 结束后（有公示时）、评审工作结束后 RESULT_FILING_MONTHS 个月内（同日；该月无此日取月末）报送核准备案报告。
-- 每个 年度 × 评委会 一行；compliant = false 即一条违规发现。

with

committee_years as (

    {{ rule_committee_years(['旗县区', '自主评审']) }}

),

parameters as (

    select * from {{ ref('int_policy_parameters') }}

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

    {{ f4_earliest_else_latest(
        'due', '核准备案报告', 'submitted_date',
        'events.submitted_date <= subjects.result_filing_due_date
        and (subjects.results_publicity_end is null or events.submitted_date > subjects.results_publicity_end)',
    ) }}

),

checked as (

    select
        due.*,
        filings.event_rows as filing_rows,
        filings.first_ok_date as first_timely_date,
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
        {{ schedule_columns(
            'RESULT-FILED',
            'committee_code',
            'result_filing_due_date',
            'coalesce(first_timely_date, last_date)',
            'first_timely_date is not null'
        ) }},
        {%- set detail -%}
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
            end
        {%- endset %}
        {{ rule_columns(
            'SCH-04',
            'committee_code',
            detail=detail,
            submitter_code='committee_code',
            committee_code='committee_code'
        ) }},
    from checked

)

select * from final
