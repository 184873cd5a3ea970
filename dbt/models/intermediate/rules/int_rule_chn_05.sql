-- CHN-05 三(二)3：非本市隶属单位的人员须有委托函（违规；不予核准，结果无效）。

with

applications as (

    {{ rule_applications() }}

),

breaches as (

    select
        *,
        '单位隶属为“' || unit_affiliation || '”，未提供委托函，评审结果不予核准' as detail,
    from applications
    where
        coalesce(unit_affiliation, '本市') <> '本市'
        and has_entrust_letter is distinct from true

),

final as (

    select
        {{ rule_application_columns('CHN-05') }},
        true as voids_outcomes,
    from breaches

)

select * from final
