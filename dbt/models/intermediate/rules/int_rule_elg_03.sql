-- ELG-03 四(二)2：考评结合的系列与级别须考试成绩合格（依 四(四)3 破格者除外）。

with

applications as (

    {{ rule_applications() }}

),

breaches as (

    select
        *,
        series || '系列' || level || '实行考评结合'
        || case when nullif(series_exam_specialties, '') is not null then '（申报专业“' || specialty || '”）' else '' end
        || '，考试成绩合格为“' || {{ rule_fmt_text('exam_passed') }} || '”，须考试成绩合格' as detail
    from applications
    where
        coalesce(list_contains(string_split(series_exam_senior_levels, '|'), level), false)
        and coalesce(exam_specialty_applies, false)
        and exam_passed is distinct from '是'
        and exception_basis is distinct from '四(四)3'

),

final as (

    select {{ rule_application_columns('ELG-03') }}
    from breaches

)

select * from final
