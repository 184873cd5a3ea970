-- ELG-12 四(十)：定向评价只适用于旗县（地区）报送的基层事业单位人员申报副高级，且系列有定向评价领域。

with

applications as (

    {{ rule_applications() }}

),

checked as (

    select
        *,
        concat_ws(
            '；',
            case when unit_nature is distinct from '事业单位' then '单位性质为“' || unit_nature || '”，不是事业单位' end,
            case when not is_grassroots_workplace then '工作地层级为“' || workplace_level || '”，不在基层' end,
            case when submitter_kind is distinct from 'region' then '报送方' || submitter_code || '不是旗县（地区）' end,
            case when level is distinct from '副高级' then '申报级别为' || level || '，定向评价只评副高级' end,
            case
                when directed_field is null
                    then series || '系列（申报专业“' || {{ rule_fmt_text('specialty') }} || '”）没有定向评价领域'
            end
        ) as reasons,
    from applications
    where route = '定向评价'

),

breaches as (

    select
        *,
        '定向评价申报不符合条件：' || reasons as detail,
    from checked
    where reasons <> ''

),

final as (

    select {{ rule_application_columns('ELG-12') }},
    from breaches

)

select * from final
