-- ELG-04 四(五)4：城区中小学教师、医生申报高级职称，原则上须有农村牧区或基层服务经历（提示）。

with

{{ rule_application_imports() }},

breaches as (

    select
        applications.*,
        '城区' || case when applications.series = '中小学教师' then '中小学教师' else '医生' end
        || '申报' || applications.level || '，工作地层级为“' || applications.workplace_level
        || '”，基层服务年限' || {{ rule_fmt_num('applications.grassroots_years') }}
        || '年，不足' || {{ rule_fmt_num('parameters.rural_service_min_years') }} || '年' as detail
    from applications
    inner join parameters
        on applications.year = parameters.year
    where
        (applications.series = '中小学教师' or applications.is_doctor)
        and applications.is_senior
        and applications.is_urban_submitter
        and applications.workplace_level is distinct from '乡镇及以下'
        and coalesce(applications.grassroots_years >= parameters.rural_service_min_years, false) = false

),

final as (

    select {{ rule_application_columns('ELG-04') }}
    from breaches

)

select * from final
