-- POS-01 四(八)4：中小学教师副高级严格在岗位结构内评聘，不得超岗申报。

with

applications as (

    {{ rule_applications() }}

),

breaches as (

    select
        *,
        '中小学教师申报副高级填报超岗申报：中小学教师副高级须严格在岗位结构比例内申报' as detail,
    from applications
    where series = '中小学教师' and level = '副高级' and coalesce(over_post, false)

),

final as (

    select {{ rule_application_columns('POS-01') }},
    from breaches

)

select * from final
