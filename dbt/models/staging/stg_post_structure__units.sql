-- F2 岗位情况表的当前行
-- 列即 raw.post_structure 的列（字段名见 dagster_project/forms.py），只保留当前版本（未被取代）的行。

with

source as (

    select * from {{ source('raw', 'post_structure') }}

),

final as (

    select * exclude (_superseded)
    from source
    where not coalesce(_superseded, false)

)

select * from final
