-- ELG-06 四(十五)、四(五)3、四(三)1：考核认定只适用于规定的几类人员。

with

{{ rule_application_imports() }},

breaches as (

    select
        applications.*,
        '考核认定不符合条件：申报' || applications.level || '，学历“' || applications.education
        || '”（' || {{ rule_fmt_text('applications.education_mode') }} || '），人员身份“'
        || applications.personnel_status || '”，单位性质“' || applications.unit_nature
        || '”，专业技术工作年限' || {{ rule_fmt_num('applications.professional_years') }} || '年' as detail
    from applications
    inner join parameters
        on applications.year = parameters.year
    where
        applications.route = '考核认定'
        and not coalesce(
            (
                applications.level = '中级'
                and applications.education = '博士研究生'
                and applications.education_mode = '全日制'
            )
            or (
                applications.level = '中级'
                and applications.education = '硕士研究生'
                and applications.education_mode = '全日制'
                and applications.professional_years >= case
                    when applications.is_grassroots_workplace then parameters.recognize_master_grassroots_years
                    else parameters.recognize_master_years
                end
            )
            or (applications.level = '副高级' and applications.personnel_status = '博士后')
            or (applications.level = '初级' and applications.unit_nature = '自由职业'),
            false
        )

),

final as (

    select {{ rule_application_columns('ELG-06') }}
    from breaches

)

select * from final
