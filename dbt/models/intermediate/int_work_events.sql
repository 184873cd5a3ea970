-- 当前 F4 工作事项，每行附：事项日期（公示类取结束日期，其它取报送日期）、
-- 公示工作日数与公示是否充分（PUBLICITY_MIN_WORKDAYS）。

with

events as (

    select * from {{ ref('stg_work_events__events') }}

),

parameters as (

    select * from {{ ref('int_policy_parameters') }}

),

final as (

    select
        events.*,
        case
            when events.event_type in ('花名册公示', '评审结果公示') then events.end_date
            else events.submitted_date
        end as event_date,
        {{ workdays_between('events.start_date', 'events.end_date') }} as publicity_workdays,
        {{ publicity_is_adequate('events.start_date', 'events.end_date', 'parameters.publicity_min_workdays') }}
            as publicity_adequate
    from events
    left join parameters
        on events.year = parameters.year

)

select * from final
