-- SCH-01 的申报期：每个当前 F1 申报一行（有适用窗口时），先匹配者优先：
-- (1) 评委会范围（如 自治区）与级别；(2) 报送方自己的代码与级别；(3) 报送方类别与级别。
-- in_window：申报日期在窗口内（首尾两天都算在内）。

with

applications as (

    select * from {{ ref('int_applications') }}

),

windows as (

    select * from {{ ref('int_policy_windows') }}
    where requirement_code = 'APPLY-WINDOW'

),

candidates as (

    select
        applications.year,
        applications.submitter_code,
        applications.application_no,
        applications.application_date,
        windows.scope_type as window_scope_type,
        windows.scope_code as window_scope_code,
        windows.start_date as window_start,
        windows.end_date as window_end,
        row_number() over (
            partition by applications.year, applications.submitter_code, applications.application_no
            order by windows.scope_priority, windows.start_date
        ) as match_rank
    from applications
    inner join windows
        on
            applications.year = windows.year
            and applications.level = windows.level
            and (
                (windows.scope_type = 'committee_scope' and applications.committee_scope = windows.scope_code)
                or (windows.scope_type = 'submitter' and applications.submitter_code = windows.scope_code)
                or (windows.scope_type = 'submitter_kind' and applications.submitter_kind = windows.scope_code)
            )

),

final as (

    select
        year,
        submitter_code,
        application_no,
        application_date,
        window_scope_type,
        window_scope_code,
        window_start,
        window_end,
        coalesce(application_date between window_start and window_end, false) as in_window
    from candidates
    where match_rank = 1

)

select * from final
