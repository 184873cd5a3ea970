-- 质量检查（SCH-05，四(十)）用：每个政策年份 × 每个 市辖区/旗县 类地区一行：
-- 其当前 F3 行数与最晚报送日期（没有则为空），以及政策日历的截止日（DIRECTED-POSTS）。

with

submitters as (

    select * from {{ ref('int_submitters') }}
    where submitter_kind = 'region' and region_kind in ('市辖区', '旗县')

),

deadlines as (

    select * from {{ ref('int_policy_deadlines') }}

),

posts as (

    select * from {{ ref('stg_directed_posts__fields') }}

),

sent as (

    select
        year,
        submitter_code,
        count(*) as directed_post_rows,
        max(submitted_date) as directed_posts_last_date,
    from posts
    group by year, submitter_code

),

final as (

    select
        deadlines.year,
        submitters.submitter_code as region_code,
        coalesce(sent.directed_post_rows, 0) as directed_post_rows,
        sent.directed_posts_last_date,
        deadlines.directed_posts as directed_posts_due_date,
    from deadlines
    cross join submitters
    left join sent
        on
            deadlines.year = sent.year
            and submitters.submitter_code = sent.submitter_code

)

select * from final
