-- 所有已知报送方代码：地区、市直主管部门、自主评审单位、评委会、市人社局。
-- submitter_kind：region / department / unit / committee / bureau；
-- is_urban：城区报送方（市直主管部门，或 市辖区 类地区）。

with

regions as (

    select * from {{ ref('regions') }}

),

departments as (

    select * from {{ ref('departments') }}

),

units as (

    select * from {{ ref('units') }}

),

committees as (

    select * from {{ ref('committees') }}

),

unioned as (

    select
        region_code as submitter_code,
        region_name as submitter_name,
        'region' as submitter_kind,
        region_kind,
        is_banner_county
    from regions

    union all

    select
        department_code as submitter_code,
        department_name as submitter_name,
        'department' as submitter_kind,
        null as region_kind,
        false as is_banner_county
    from departments

    union all

    select
        unit_code as submitter_code,
        unit_name as submitter_name,
        'unit' as submitter_kind,
        null as region_kind,
        false as is_banner_county
    from units

    union all

    select
        committee_code as submitter_code,
        committee_name as submitter_name,
        'committee' as submitter_kind,
        null as region_kind,
        false as is_banner_county
    from committees

    union all

    select
        '{{ var("bureau_code") }}' as submitter_code,
        '市人力资源和社会保障局' as submitter_name,
        'bureau' as submitter_kind,
        null as region_kind,
        false as is_banner_county

),

final as (

    select
        submitter_code,
        submitter_name,
        submitter_kind,
        region_kind,
        is_banner_county,
        (
            submitter_kind = 'department'
            or (submitter_kind = 'region' and region_kind = '市辖区')
        ) as is_urban
    from unioned

)

select * from final
