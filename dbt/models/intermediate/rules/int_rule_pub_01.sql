-- PUB-01 五(一)：单位公示（单位公示开始/结束日期）须充分（不少于 PUBLICITY_MIN_WORKDAYS 个工作日），
-- 且须在报送方的材料报送之前结束（有材料报送行时）。

with

{{ rule_application_imports() }},

filing as (

    select * from {{ ref('int_submitter_filing') }}

),

checked as (

    select
        applications.*,
        parameters.publicity_min_workdays as min_workdays,
        {{ workdays_between('applications.unit_publicity_start', 'applications.unit_publicity_end') }} as workdays,
        {{ publicity_is_adequate(
            'applications.unit_publicity_start',
            'applications.unit_publicity_end',
            'parameters.publicity_min_workdays'
        ) }} as adequate,
        filing.materials_last_date,
    from applications
    inner join parameters
        on applications.year = parameters.year
    left join filing
        on
            applications.year = filing.year
            and applications.submitter_code = filing.submitter_code

),

breaches as (

    select
        *,
        case
            when unit_publicity_start is null or unit_publicity_end is null
                then
                    '未填写单位公示开始或结束日期（' || {{ rule_fmt_date('unit_publicity_start') }} || '至'
                    || {{ rule_fmt_date('unit_publicity_end') }} || '）'
            when unit_publicity_end < unit_publicity_start
                then
                    '单位公示结束日期' || {{ rule_fmt_date('unit_publicity_end') }} || '早于开始日期'
                    || {{ rule_fmt_date('unit_publicity_start') }}
            when not adequate
                then
                    '单位公示仅' || {{ rule_fmt_num('workdays') }} || '个工作日（'
                    || {{ rule_fmt_date('unit_publicity_start') }} || '至' || {{ rule_fmt_date('unit_publicity_end') }}
                    || '），不足' || {{ rule_fmt_num('min_workdays') }} || '个工作日'
            else
                '单位公示结束日期' || {{ rule_fmt_date('unit_publicity_end') }} || '不早于材料报送日期'
                || {{ rule_fmt_date('materials_last_date') }} || '，应公示结束后再报送'
        end as detail,
    from checked
    where
        not coalesce(adequate, false)
        or coalesce(unit_publicity_end >= materials_last_date, false)

),

final as (

    select
        {{ rule_application_columns('PUB-01') }},
    from breaches

)

select * from final
