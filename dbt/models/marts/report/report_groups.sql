-- 报告“单独分组评审通过率”：marts.pass_rate_by_group 每行加上同一评委会同一级别普通组的通过率
-- 与差值（百分点）；group_name 为普通组的行 is_general 为真。

with

groups as (

    select * from {{ ref('pass_rate_by_group') }}

),

general as (

    select
        year,
        committee_code,
        level,
        pass_rate as general_rate,
    from groups
    where group_name = '普通组'

),

final as (

    select
        groups.year,
        groups.committee_code,
        groups.level,
        groups.group_name,
        groups.evaluated,
        groups.passed,
        groups.passed_valid,
        groups.pass_rate,
        groups.pass_rate_valid,
        general.general_rate,
        groups.group_name = '普通组' as is_general,
        case
            when groups.group_name <> '普通组'
                then (groups.pass_rate - general.general_rate) * 100
        end as diff_pp,
    from groups
    left join general
        on
            groups.year = general.year
            and groups.committee_code = general.committee_code
            and groups.level = general.level

)

select * from final
