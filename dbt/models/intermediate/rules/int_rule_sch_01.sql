-- SCH-01 二(一) APPLY-WINDOW：申报日期须在适用的申报期内（首尾两天都算在内）。
-- 有适用窗口的每个申报一行（marts.schedule_adherence）；compliant = false 即一条违规发现。

with

applications as (

    {{ rule_applications() }}

),

windows as (

    select * from {{ ref('int_application_windows') }}

),

checked as (

    select
        applications.*,
        windows.window_start,
        windows.window_end,
        windows.in_window,
    from applications
    inner join windows
        on
            applications.year = windows.year
            and applications.submitter_code = windows.submitter_code
            and applications.application_no = windows.application_no

),

final as (

    select
        {{ schedule_columns(
            'APPLY-WINDOW',
            'application_no',
            'window_end',
            'application_date',
            'coalesce(in_window, false)'
        ) }},
        {%- set detail -%}
            '申报日期' || {{ rule_fmt_date('application_date') }} || '不在申报期（' || {{ rule_fmt_date('window_start') }}
            || '至' || {{ rule_fmt_date('window_end') }} || '）内'
        {%- endset %}
        {{ rule_application_columns('SCH-01', detail=detail) }},
    from checked

)

select * from final
