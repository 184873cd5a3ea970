-- ELG-01 一(四)：公务员、参照公务员法管理人员、离退休人员不得申报（违规；结果无效）。

with

applications as (

    {{ rule_applications() }}

),

breaches as (

    select
        *,
        '人员身份为“' || personnel_status || '”，按规定不得申报职称评审，评审结果无效' as detail
    from applications
    where personnel_status in ('公务员', '参照公务员法管理', '离退休')

),

final as (

    select
        {{ rule_application_columns('ELG-01') }},
        true as voids_outcomes
    from breaches

)

select * from final
