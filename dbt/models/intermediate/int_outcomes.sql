-- 当前 F5 评审结果与申报的匹配（rules.md COM-04、「歧义编号」）。每个 F5 当前行一行。
-- matched：同年有当前 F1 行、编号无歧义、身份证号/申报系列/申报级别/评委会都与 F1 一致。
-- mismatch_reason：不匹配的原因（中文，COM-04 用；匹配或歧义编号时为空）。
-- is_counted：计入统计的行 = matched 且是同一 年度×评委会×申报 的第一行
-- （评委会与其主办方都报送同一结果时只算一次）。

with

outcomes as (

    select * from {{ ref('stg_evaluation_outcomes__outcomes') }}

),

applications as (

    select * from {{ ref('int_applications') }}

),

numbers as (

    select
        year,
        application_no,
        bool_or(is_ambiguous) as is_ambiguous,
        any_value(submitter_code) as application_submitter_code,
        any_value(id_number) as application_id_number,
        any_value(person_key) as application_person_key,
        any_value(series) as application_series,
        any_value(level) as application_level,
        any_value(committee_code) as application_committee_code
    from applications
    group by year, application_no

),

joined as (

    select
        outcomes.*,
        numbers.application_no is not null as application_found,
        coalesce(numbers.is_ambiguous, false) as is_ambiguous,
        numbers.application_submitter_code,
        numbers.application_committee_code,
        numbers.application_id_number,
        numbers.application_series,
        numbers.application_level
    from outcomes
    left join numbers
        on
            outcomes.year = numbers.year
            and outcomes.application_no = numbers.application_no

),

checked as (

    select
        *,
        nullif(
            concat_ws(
                '；',
                case when not application_found then '花名册（F1）当前行中没有该网上申报编号' end,
                case
                    when application_found and id_number is distinct from application_id_number
                        then '身份证号与花名册不一致'
                end,
                case
                    when application_found and series is distinct from application_series
                        then '申报系列与花名册不一致'
                end,
                case
                    when application_found and level is distinct from application_level
                        then '申报级别与花名册不一致'
                end,
                case
                    when application_found and committee_code is distinct from application_committee_code
                        then '评委会与花名册的评委会代码不一致'
                end
            ),
            ''
        ) as raw_mismatch_reason
    from joined

),

final as (

    select
        * exclude (raw_mismatch_reason),
        case when not is_ambiguous then raw_mismatch_reason end as mismatch_reason,
        not is_ambiguous and raw_mismatch_reason is null as matched,
        (
            not is_ambiguous
            and raw_mismatch_reason is null
            and row_number() over (
                partition by year, committee_code, application_no
                order by (not is_ambiguous and raw_mismatch_reason is null) desc, _loaded_at desc, _source_file asc
            ) = 1
        ) as is_counted
    from checked

)

select * from final
