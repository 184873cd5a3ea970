-- ELG-10 二(二)：毕业时间、现职称取得时间不得晚于资历计算截止日（CUTOFF-SENIORITY；截止日当天不算晚于）。

with

applications as (

    {{ rule_applications() }}

),

deadlines as (

    select * from {{ ref('int_policy_deadlines') }}

),

checked as (

    select
        applications.*,
        deadlines.cutoff_seniority as cutoff,
        coalesce(applications.graduation_date > deadlines.cutoff_seniority, false) as graduated_late,
        coalesce(applications.current_title_date > deadlines.cutoff_seniority, false) as title_late,
    from applications
    inner join deadlines
        on applications.year = deadlines.year

),

breaches as (

    select
        *,
        concat_ws(
            '；',
            case when graduated_late then '毕业时间' || {{ rule_fmt_date('graduation_date') }} end,
            case when title_late then '现职称取得时间' || {{ rule_fmt_date('current_title_date') }} end
        ) || '，晚于资历计算截止日' || {{ rule_fmt_date('cutoff') }} as detail,
    from checked
    where graduated_late or title_late

),

final as (

    select {{ rule_application_columns('ELG-10') }},
    from breaches

)

select * from final
