-- FIL-02 七(三)：申报人须签署诚信承诺书。

with

applications as (

    {{ rule_applications() }}

),

breaches as (

    select
        *,
        '未提交签字的诚信承诺书' as detail,
    from applications
    where integrity_pledge is distinct from true

),

final as (

    select {{ rule_application_columns('FIL-02') }},
    from breaches

)

select * from final
