-- ELG-02 四(二)1：以考代评的系列在中级、初级不能评审（卫生系列仅限蒙医、蒙药专业）。

with

applications as (

    {{ rule_applications() }}

),

breaches as (

    select
        *,
        series || '系列' || level || '实行以考代评'
        || case when nullif(series_exam_specialties, '') is not null then '（申报专业“' || specialty || '”）' else '' end
        || '，应参加考试取得，不能通过评审申报' as detail
    from applications
    where
        level in ('中级', '初级')
        and coalesce(series_exam_mid_junior, false)
        and coalesce(exam_specialty_applies, false)

),

final as (

    select {{ rule_application_columns('ELG-02') }}
    from breaches

)

select * from final
