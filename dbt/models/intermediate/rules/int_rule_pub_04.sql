-- PUB-04 五(一)、七(二)3（提示）：公示有异议（异议数 > 0）的，须已按规定处理；数据无法证明，作提示。
-- 每个有异议的公示行一条，对象为该行的报送方（评委会也是报送方）。

with

events as (

    select * from {{ ref('int_work_events') }}
    where
        event_type in ('花名册公示', '评审结果公示')
        and objections > 0
        and {{ is_policy_year('year') }}

),

submitters as (

    select * from {{ ref('int_submitters') }}

),

final as (

    select
        events.year,
        {%- set detail -%}
            events.event_type || '（' || {{ rule_fmt_date('events.start_date') }} || '至'
            || {{ rule_fmt_date('events.end_date') }} || '）收到异议' || cast(events.objections as varchar)
            || '件，请核实是否已调查处理并报告结果'
        {%- endset %}
        {{ rule_columns(
            'PUB-04',
            'events.submitter_code',
            detail=detail,
            submitter_code='events.submitter_code',
            committee_code='events.committee_code',
            region_code="case when submitters.submitter_kind = 'region' then events.submitter_code end",
            source_file='events._source_file',
            source_row='events._source_row'
        ) }},
    from events
    left join submitters
        on events.submitter_code = submitters.submitter_code

)

select * from final
