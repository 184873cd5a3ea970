-- ELG-08 四(十四)：转系列须在现岗位工作满规定年限，且申报与现职称同级别。

with

{{ rule_application_imports() }},

checked as (

    select
        applications.*,
        concat_ws(
            '；',
            case
                when not coalesce(applications.current_post_years >= parameters.transfer_min_years, false)
                    then
                        '现岗位工作年限' || {{ rule_fmt_num('applications.current_post_years') }} || '年，不足'
                        || {{ rule_fmt_num('parameters.transfer_min_years') }} || '年'
            end,
            case
                when applications.level is distinct from applications.current_level
                    then
                        '申报级别“' || applications.level || '”与现职称级别“'
                        || {{ rule_fmt_text('applications.current_level') }} || '”不同'
            end
        ) as reasons,
    from applications
    inner join parameters
        on applications.year = parameters.year
    where applications.route = '转系列'

),

breaches as (

    select
        *,
        '转系列申报不符合条件：' || reasons as detail,
    from checked
    where reasons <> ''

),

final as (

    select
        {{ rule_application_columns('ELG-08') }},
    from breaches

)

select * from final
