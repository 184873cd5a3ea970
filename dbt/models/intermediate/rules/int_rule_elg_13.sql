-- ELG-13 四(四)、四(五)2–3：破格申报须满足所依据条款的条件（条款未知也算不满足；未填依据属 ELG-09）。

with

{{ rule_application_imports() }},

checked as (

    select
        applications.*,
        case applications.exception_basis
            when '四(四)1' then applications.committee_scope = '自治区' and applications.is_senior
            when '四(四)2' then true
            when '四(四)3' then applications.level = '正高级'
            when '四(四)4' then applications.is_one_level_up and applications.is_grassroots_workplace
            when '四(四)5'
                then
                    applications.personnel_status in ('军转干部', '原公务员调入')
                    and {{ rule_within_years_before(
                        'applications.transfer_in_date',
                        'applications.application_date',
                        'parameters.transfer_in_exempt_years'
                    ) }}
            when '四(五)2'
                then
                    applications.is_one_level_up
                    and (
                        (
                            applications.is_grassroots_workplace
                            and applications.professional_years >= parameters.poge_county_years
                        )
                        or (
                            applications.workplace_level = '乡镇及以下'
                            and applications.grassroots_years >= parameters.poge_township_years
                        )
                    )
            when '四(五)3'
                then
                    applications.level = '中级'
                    and applications.unit_nature = '事业单位'
                    and applications.workplace_level = '乡镇及以下'
                    and (
                        (
                            applications.is_degree_bachelor_plus
                            and applications.grassroots_years >= parameters.poge_township_bachelor_years
                        )
                        or (
                            applications.education = '大学专科'
                            and applications.grassroots_years >= parameters.poge_township_college_years
                        )
                    )
            when '四(九)4' then true
            else false
        end as condition_met,
        case applications.exception_basis
            when '四(四)1'
                then
                    '须由自治区评委会评审高级职称（评委会范围“' || {{ rule_fmt_text('applications.committee_scope') }}
                    || '”，申报' || applications.level || '）'
            when '四(四)3' then '只适用于申报正高级（申报' || applications.level || '）'
            when '四(四)4'
                then
                    '须逐级申报且在基层工作（现职称级别“' || {{ rule_fmt_text('applications.current_level') }}
                    || '”，申报' || applications.level || '，工作地层级“' || applications.workplace_level || '”）'
            when '四(四)5'
                then
                    '须为调入未满' || {{ rule_fmt_num('parameters.transfer_in_exempt_years') }}
                    || '年的军转干部或原公务员调入人员（人员身份“' || applications.personnel_status
                    || '”，调入时间' || {{ rule_fmt_date('applications.transfer_in_date') }} || '，申报日期'
                    || {{ rule_fmt_date('applications.application_date') }} || '）'
            when '四(五)2'
                then
                    '须逐级申报，且在基层从事专业技术工作满' || {{ rule_fmt_num('parameters.poge_county_years') }}
                    || '年或在乡镇及以下满' || {{ rule_fmt_num('parameters.poge_township_years') }} || '年（工作地层级“'
                    || applications.workplace_level || '”，专业技术工作年限'
                    || {{ rule_fmt_num('applications.professional_years') }} || '年，基层服务年限'
                    || {{ rule_fmt_num('applications.grassroots_years') }} || '年）'
            when '四(五)3'
                then
                    '须为乡镇及以下事业单位申报中级，本科及以上基层服务满'
                    || {{ rule_fmt_num('parameters.poge_township_bachelor_years') }} || '年或大学专科满'
                    || {{ rule_fmt_num('parameters.poge_township_college_years') }} || '年（申报' || applications.level
                    || '，单位性质“' || applications.unit_nature || '”，工作地层级“' || applications.workplace_level
                    || '”，学历“' || applications.education || '”，基层服务年限'
                    || {{ rule_fmt_num('applications.grassroots_years') }} || '年）'
            else '不是本通知规定的破格条款'
        end as failed_condition,
    from applications
    inner join parameters
        on applications.year = parameters.year
    where
        applications.route = '破格申报'
        and nullif(applications.exception_basis, '') is not null

),

breaches as (

    select
        *,
        '破格依据“' || exception_basis || '”的条件不满足：' || failed_condition as detail,
    from checked
    where not coalesce(condition_met, false)

),

final as (

    select
        {{ rule_application_columns('ELG-13') }},
    from breaches

)

select * from final
