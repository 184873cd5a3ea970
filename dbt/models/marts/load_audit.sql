-- 装载审计：每个文件 × 工作表一行，所有年份（含被取代的文件）。

with

audit as (

    select * from {{ ref('stg_raw__load_audit') }}

),

final as (

    select
        file,
        sheet,
        sha256,
        submitter_code,
        year,
        form,
        rows_read,
        rows_loaded,
        rows_quarantined,
        superseded
    from audit

)

select * from final
