-- CHN-01 三：同一人同一年同一级别向多个评委会申报（提示；每个相关申报一条）。

with

applications as (

    {{ rule_applications() }}

),

people as (

    select
        year,
        person_key,
        level,
        count(distinct committee_code) as committee_count,
        string_agg(distinct committee_code, '、' order by committee_code) as committee_list,
    from applications
    where person_key is not null
    group by year, person_key, level
    having count(distinct committee_code) > 1

),

breaches as (

    select
        applications.*,
        '同一人本年度申报' || applications.level || '同时报送' || cast(people.committee_count as varchar)
        || '个评委会（' || people.committee_list || '）' as detail,
    from applications
    inner join people
        on
            applications.year = people.year
            and applications.person_key = people.person_key
            and applications.level = people.level

),

final as (

    select {{ rule_application_columns('CHN-01') }},
    from breaches

)

select * from final
