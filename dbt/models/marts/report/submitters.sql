-- 报送方目录（唯一一处）：每个已知代码一行，含名称、类别及其中文名、所属地区、评委会层级。
-- 报告、告知书、服务快照与看板都读本表，不再各自拼写名称。

with

submitters as (

    select * from {{ ref('int_submitters') }}

),

committees as (

    select * from {{ ref('committees') }}

),

kind_labels as (

    select
        code,
        label,
    from {{ ref('labels') }}
    where kind = 'submitter_kind'

),

final as (

    select
        submitters.submitter_code,
        submitters.submitter_name,
        submitters.submitter_kind,
        coalesce(kind_labels.label, submitters.submitter_kind) as submitter_kind_name,
        submitters.region_kind,
        case
            when submitters.submitter_kind = 'region' then submitters.submitter_code
        end as region_code,
        committees.scope as committee_scope,
        submitters.is_urban,
    from submitters
    left join kind_labels
        on submitters.submitter_kind = kind_labels.code
    left join committees
        on
            submitters.submitter_kind = 'committee'
            and submitters.submitter_code = committees.committee_code

)

select * from final
