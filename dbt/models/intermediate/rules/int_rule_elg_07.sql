-- ELG-07 四(四)末段：破格申报（四(四)1–5）只能享受一次：曾享受破格政策 = 是，或同一人在仓库中
-- 更早年度已以 四(四)1–5 破格申报并通过（提示）。

with

applications as (

    {{ rule_applications() }}

),

all_applications as (

    select * from {{ ref('int_applications') }}
    where not is_ambiguous

),

outcomes as (

    select * from {{ ref('int_outcomes') }}
    where is_counted and outcome = '通过'

),

earlier_passes as (

    select
        all_applications.person_key,
        all_applications.year,
        all_applications.application_no,
        all_applications.exception_basis,
    from outcomes
    inner join all_applications
        on
            outcomes.year = all_applications.year
            and outcomes.application_no = all_applications.application_no
    where
        all_applications.route = '破格申报'
        and all_applications.exception_basis in ('四(四)1', '四(四)2', '四(四)3', '四(四)4', '四(四)5')

),

previous as (

    select
        applications.year,
        applications.application_no,
        min(earlier_passes.year) as first_pass_year,
        string_agg(
            distinct cast(earlier_passes.year as varchar) || '年（' || earlier_passes.exception_basis || '）', '、'
        ) as earlier_list,
    from applications
    inner join earlier_passes
        on
            applications.person_key = earlier_passes.person_key
            and applications.year > earlier_passes.year
    group by applications.year, applications.application_no

),

breaches as (

    select
        applications.*,
        '依据' || applications.exception_basis || '破格申报，但'
        || concat_ws(
            '，且',
            case when applications.had_exception_before then '花名册填报曾享受破格政策' end,
            case when previous.earlier_list is not null then '本人已于' || previous.earlier_list || '破格申报通过' end
        )
        || '；破格政策原则上只能享受一次' as detail,
    from applications
    left join previous
        on
            applications.year = previous.year
            and applications.application_no = previous.application_no
    where
        applications.exception_basis in ('四(四)1', '四(四)2', '四(四)3', '四(四)4', '四(四)5')
        and (coalesce(applications.had_exception_before, false) or previous.first_pass_year is not null)

),

final as (

    select
        {{ rule_application_columns('ELG-07') }},
    from breaches

)

select * from final
