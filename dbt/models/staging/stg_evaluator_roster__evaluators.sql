-- F6 评委名单的当前行
-- 列即 raw.evaluator_roster 的列（字段名见 dagster_project/forms.py），只保留当前版本（未被取代）的行。

with

source as (

    select * from {{ source('raw', 'evaluator_roster') }}

),

final as (

    select * exclude (_superseded)
    from source
    where not coalesce(_superseded, false)

)

select * from final
