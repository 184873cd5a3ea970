-- QTA-01 四(八)5：全市中小学教师正高级有效通过人数不超过 TEACHER_ZHENGGAO_LIMIT。
-- 每个政策年份一行（marts.quota_compliance 的 city 行）；compliant = false 的行即一条违规发现。

with

policy_years as (

    select * from {{ ref('int_policy_years') }}

),

parameters as (

    select * from {{ ref('int_policy_parameters') }}

),

outcomes as (

    {{ counted_outcomes(where="outcomes.outcome = '通过'") }}

),

valid_passes as (

    select
        outcomes.year,
        count(distinct outcomes.application_no) as passes,
    from outcomes
    where
        outcomes.series = '中小学教师'
        and outcomes.level = '正高级'
        and not outcomes.is_void
    group by outcomes.year

),

checked as (

    select
        policy_years.year,
        cast(parameters.teacher_zhenggao_limit as double) as limit_value,
        cast(coalesce(valid_passes.passes, 0) as double) as actual_value,
        coalesce(valid_passes.passes, 0) <= parameters.teacher_zhenggao_limit as compliant,
    from policy_years
    left join parameters
        on policy_years.year = parameters.year
    left join valid_passes
        on policy_years.year = valid_passes.year

),

final as (

    select
        year,
        {{ quota_columns(
            'QTA-01',
            "'" ~ var('city_code') ~ "'",
            'limit_value',
            'actual_value',
            'compliant'
        ) }},
        {%- set detail -%}
            '全市中小学教师正高级有效通过' || {{ rule_fmt_num('actual_value') }} || '人，超过限额'
            || {{ rule_fmt_num('limit_value') }} || '人'
        {%- endset %}
        {{ rule_columns(
            'QTA-01',
            "'" ~ var('city_code') ~ "'",
            detail=detail,
            submitter_code="'" ~ var('bureau_code') ~ "'",
            series="'中小学教师'",
            level="'正高级'"
        ) }},
    from checked

)

select * from final
