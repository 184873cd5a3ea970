-- CHN-04 六(三)：评委会须覆盖申报的系列与级别（覆盖某系列中级的也覆盖其初级）；
-- 未知评委会只报 CHN-03。

with

applications as (

    {{ rule_applications() }}

),

breaches as (

    select
        *,
        '评委会' || committee_code || '的评审范围不包括' || series || '系列' || level as detail,
    from applications
    where committee_known and not committee_covers

),

final as (

    select {{ rule_application_columns('CHN-04') }},
    from breaches

)

select * from final
