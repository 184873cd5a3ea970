-- F7 失信记录的当前行（登记簿：各年度当前行合并计算）
-- 列即 raw.integrity_blacklist 的列（字段名见 dagster_project/forms.py），只保留当前版本（未被取代）的行。

with

source as (

    select * from {{ source('raw', 'integrity_blacklist') }}

),

final as (

    select * exclude (_superseded)
    from source
    where not coalesce(_superseded, false)

)

select * from final
