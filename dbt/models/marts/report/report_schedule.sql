-- 报告用的时间进度：marts.schedule_adherence 每行加上四种中文状态（提前 / 按期 / 逾期 / 未报送）
-- 与不为负的提前、逾期天数；报告、数据表和分析视图都读这里，不再各自相减日期。

with

schedule as (

    select * from {{ ref('schedule_adherence') }}

),

labels as (

    select
        code,
        label,
    from {{ ref('labels') }}
    where kind = 'requirement'

),

final as (

    select
        schedule.year,
        schedule.requirement_code,
        coalesce(labels.label, schedule.requirement_code) as requirement_name,
        schedule.subject_type,
        schedule.subject_code,
        schedule.due_date,
        schedule.actual_date,
        schedule.compliant,
        case
            when schedule.actual_date is null then '未报送'
            when schedule.actual_date > schedule.due_date then '逾期'
            when schedule.actual_date = schedule.due_date then '按期'
            else '提前'
        end as timing_status,
        case
            when schedule.actual_date > schedule.due_date
                then cast(schedule.actual_date - schedule.due_date as integer)
        end as days_late,
        case
            when schedule.actual_date < schedule.due_date
                then cast(schedule.due_date - schedule.actual_date as integer)
        end as days_early,
    from schedule
    left join labels
        on schedule.requirement_code = labels.code

)

select * from final
