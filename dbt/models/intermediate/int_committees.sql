-- 评委会参考数据（评委会是谁），系列与级别拆成列表。各年度的核准备案见 int_committee_filings。

with

committees as (

    select * from {{ ref('committees') }}

),

final as (

    select
        committee_code,
        committee_name,
        string_split(coalesce(series, ''), '|') as series_list,
        string_split(coalesce(levels, ''), '|') as levels_list,
        scope,
        host_code,
        coalesce(is_self_evaluation, false) as is_self_evaluation,
    from committees

)

select * from final
