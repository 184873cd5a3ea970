-- ELG-11 四(三)1：初级由用人单位聘任（自由职业者除外），不经评审（提示）。

with

applications as (

    {{ rule_applications() }}

),

breaches as (

    select
        *,
        '申报初级，单位性质为“' || unit_nature || '”：初级职称由用人单位按规定聘任，只有自由职业者经评审取得' as detail,
    from applications
    where level = '初级' and unit_nature is distinct from '自由职业'

),

final as (

    select {{ rule_application_columns('ELG-11') }},
    from breaches

)

select * from final
