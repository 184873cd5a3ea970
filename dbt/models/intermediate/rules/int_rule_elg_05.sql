-- ELG-05 四(六)、四(九)3：直接申报只适用于非公有制领域，并须满足学历与年限条件。

with

{{ rule_application_imports() }},

checked as (

    select
        applications.*,
        concat_ws(
            '；',
            case
                when not applications.is_non_public_sector
                    then '单位性质为“' || applications.unit_nature || '”，不属于非公有制领域'
            end,
            case
                when
                    applications.level = '中级'
                    and not coalesce(
                        (
                            applications.is_degree_bachelor_plus
                            and applications.professional_years >= parameters.direct_mid_bachelor_years
                        )
                        or (
                            applications.education = '大学专科'
                            and applications.professional_years >= parameters.direct_mid_college_years
                        ),
                        false
                    )
                    then
                        '直接申报中级须本科及以上学历且专业技术工作满'
                        || {{ rule_fmt_num('parameters.direct_mid_bachelor_years') }} || '年或大学专科学历且满'
                        || {{ rule_fmt_num('parameters.direct_mid_college_years') }} || '年（学历“'
                        || applications.education || '”，年限' || {{ rule_fmt_num('applications.professional_years') }}
                        || '年）'
            end,
            case
                when
                    applications.level = '副高级'
                    and not coalesce(
                        applications.is_degree_bachelor_plus
                        and applications.professional_years >= parameters.direct_fugao_bachelor_years,
                        false
                    )
                    then
                        '直接申报副高级须本科及以上学历且专业技术工作满'
                        || {{ rule_fmt_num('parameters.direct_fugao_bachelor_years') }} || '年（学历“'
                        || applications.education || '”，年限' || {{ rule_fmt_num('applications.professional_years') }}
                        || '年）'
            end,
            case
                when applications.level in ('正高级', '初级')
                    then '直接申报不适用于' || applications.level
            end
        ) as detail
    from applications
    inner join parameters
        on applications.year = parameters.year
    where applications.route = '直接申报'

),

breaches as (

    select * from checked
    where detail <> ''

),

final as (

    select
        {{ rule_application_columns('ELG-05') }}
    from breaches

)

select * from final
