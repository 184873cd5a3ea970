-- INT-01 七(三)（提示）：申报人在失信记录（F7，各年度当前行合并）中，记录日期 d 满足
-- 申报日期 − BLACKLIST_YEARS 年 < d ≤ 申报日期。每个申报一条。

with

{{ rule_application_imports() }},

blacklist as (

    select * from {{ ref('stg_integrity_blacklist__records') }}
    where person_key is not null

),

matches as (

    select
        applications.year,
        applications.submitter_code,
        applications.application_no,
        parameters.blacklist_years,
        max(blacklist.record_date) as last_record_date,
        count(*) as records,
    from applications
    inner join parameters
        on applications.year = parameters.year
    inner join blacklist
        on
            applications.person_key = blacklist.person_key
            and {{ rule_within_years_before(
                'blacklist.record_date',
                'applications.application_date',
                'parameters.blacklist_years'
            ) }}
    group by applications.year, applications.submitter_code, applications.application_no, parameters.blacklist_years

),

breaches as (

    select
        applications.*,
        '申报人在失信记录中（记录日期' || {{ rule_fmt_date('matches.last_record_date') }} || '，在申报日期'
        || {{ rule_fmt_date('applications.application_date') }} || '前' || {{ rule_fmt_num('matches.blacklist_years') }}
        || '年内），请核实是否影响申报' as detail,
    from applications
    inner join matches
        on
            applications.year = matches.year
            and applications.submitter_code = matches.submitter_code
            and applications.application_no = matches.application_no

),

final as (

    select {{ rule_application_columns('INT-01') }},
    from breaches

)

select * from final
