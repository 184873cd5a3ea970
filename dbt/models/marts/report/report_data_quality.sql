-- 报告“数据质量”：每个年度 × 报送单位一行，文件数、读取和隔离的数据行、隔离比例、未识别工作表数。

with

load_audit as (

    select * from {{ ref('load_audit') }}

),

final as (

    select
        year,
        submitter_code,
        count(distinct file) as files,
        cast(coalesce(sum(rows_read), 0) as bigint) as rows_read,
        cast(coalesce(sum(rows_quarantined), 0) as bigint) as rows_quarantined,
        coalesce(sum(rows_quarantined), 0) / nullif(sum(rows_read), 0) as quarantined_share,
        count(*) filter (where form = '未识别') as unrecognised,
    from load_audit
    group by year, submitter_code

)

select * from final
