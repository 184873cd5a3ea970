-- 政策参数宽表：每年一行，每个参数一列（列名 = 参数名小写，数值为 double）。
-- 新参数只需在 seeds/policy_parameters.csv 加行，列随之出现。

with

parameters as (

    select * from {{ ref('policy_parameters') }}

),

long_form as (

    select
        year,
        lower(parameter) as parameter,
        cast(value as double) as value
    from parameters

),

pivoted as (

    pivot long_form
    on parameter
    using any_value(value)
    group by year

),

final as (

    select * from pivoted

)

select * from final
