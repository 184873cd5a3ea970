-- CHN-03 六(一)：F1 或 F5 中使用的评委会须在评委会名单（committees.csv）中、该年度已核准备案
-- （committee_filings.csv 有该年度的行），且该年度评审开始不早于备案日期（违规；该评委会的评审结果全部无效）。每个 年度 × 评委会 一条。

with

applications as (

    {{ rule_applications() }}

),

outcomes as (

    select * from {{ ref('int_outcomes') }}
    where
        not is_ambiguous
        and committee_code is not null
        and {{ is_policy_year('year') }}

),

committees as (

    select * from {{ ref('int_committees') }}

),

filings as (

    select * from {{ ref('int_committee_filings') }}

),

committee_years as (

    select * from {{ ref('int_committee_years') }}

),

usages as (

    select
        year,
        committee_code,
        _source_file,
        _source_row,
        submitter_code,
    from applications
    where committee_code is not null

    union all

    select
        year,
        committee_code,
        _source_file,
        _source_row,
        submitter_code,
    from outcomes

),

used as (

    select
        year,
        committee_code,
        {{ first_source_row() }},
    from usages
    group by year, committee_code

),

checked as (

    select
        used.*,
        committees.committee_code is not null as is_known,
        filings.committee_code is not null as filed,
        filings.filed_date,
        committee_years.evaluation_start,
        case
            when committees.committee_code is null
                then '评委会代码“' || used.committee_code || '”不在核准备案的评委会名单中'
            when filings.committee_code is null
                then
                    '评委会“' || committees.committee_name || '”（' || used.committee_code || '）'
                    || cast(used.year as varchar) || '年度未经核准备案'
            when committee_years.evaluation_start < filings.filed_date
                then
                    '评委会“' || committees.committee_name || '”（' || used.committee_code || '）评审开始日期'
                    || {{ rule_fmt_date('committee_years.evaluation_start') }} || '早于核准备案日期'
                    || {{ rule_fmt_date('filings.filed_date') }}
        end as reason,
    from used
    left join committees
        on used.committee_code = committees.committee_code
    left join filings
        on
            used.year = filings.year
            and used.committee_code = filings.committee_code
    left join committee_years
        on
            used.year = committee_years.year
            and used.committee_code = committee_years.committee_code

),

final as (

    select
        year,
        {%- set detail -%}
            reason || '，其评审结果无效'
        {%- endset %}
        {{ rule_columns(
            'CHN-03',
            'committee_code',
            detail=detail,
            submitter_code='committee_code',
            committee_code='committee_code',
            source_file='source_file',
            source_row='source_row'
        ) }},
        true as voids_outcomes,
    from checked
    where reason is not null

)

select * from final
