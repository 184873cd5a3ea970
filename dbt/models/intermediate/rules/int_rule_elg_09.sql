-- ELG-09 四(四)第一段、四(十二)：正常申报须逐级申报（高技能人才，及调入未满规定年限的军转干部、
-- 原公务员调入人员除外）；破格申报须写明破格依据。

with

{{ rule_application_imports() }},

breaches as (

    select
        applications.*,
        case
            when applications.route = '破格申报' then '破格申报未填写破格依据'
            else
                '正常申报须逐级申报：现职称级别“' || {{ rule_fmt_text('applications.current_level') }}
                || '”，申报级别“' || applications.level || '”'
        end as detail,
    from applications
    inner join parameters
        on applications.year = parameters.year
    where
        (
            applications.route = '正常申报'
            and not applications.is_one_level_up
            and applications.personnel_status is distinct from '高技能人才'
            and not (
                applications.personnel_status in ('军转干部', '原公务员调入')
                and {{ rule_within_years_before(
                    'applications.transfer_in_date',
                    'applications.application_date',
                    'parameters.transfer_in_exempt_years'
                ) }}
            )
        )
        or (applications.route = '破格申报' and nullif(applications.exception_basis, '') is null)

),

final as (

    select {{ rule_application_columns('ELG-09') }},
    from breaches

)

select * from final
