-- raw.quarantine 的全部记录（每一年，含被取代文件的记录）

with

source as (

    select * from {{ source('raw', 'quarantine') }}

),

final as (

    select * from source

)

select * from final
