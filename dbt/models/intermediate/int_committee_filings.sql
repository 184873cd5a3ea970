-- 评委会各年度的核准备案（committee_filings.csv）：年度 × 评委会 一行；某年没有行即该年未备案（CHN-03）。

with

filings as (

    select * from {{ ref('committee_filings') }}

),

final as (

    select
        year,
        committee_code,
        filed_date,
    from filings

)

select * from final
