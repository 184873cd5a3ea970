-- F3 定向评价岗位表的当前行
-- 列即 raw.directed_posts 的列（字段名见 dagster_project/forms.py），只保留当前版本（未被取代）的行。

with

source as (

    select * from {{ source('raw', 'directed_posts') }}

),

final as (

    select * exclude (_superseded)
    from source
    where not coalesce(_superseded, false)

)

select * from final
