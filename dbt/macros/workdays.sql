{#-
  workdays_between(start, end)：从 start 到 end（两端都含）的工作日天数（中国官方日历：
  非节假日的工作日，加调休上班日）。用 int_workdays 的累计工作日序号相减，是一个
  （相关子查询→连接），不是逐日循环。end < start 时为 0；任一日期不在日历中时为 null。
-#}
{% macro workdays_between(start, end) -%}
(
    select
        greatest(
            0,
            wd_end.workday_seq - wd_start.workday_seq
            + case when wd_start.is_workday then 1 else 0 end
        )
    from {{ ref('int_workdays') }} as wd_start
    inner join {{ ref('int_workdays') }} as wd_end
        on wd_end.day = {{ end }}
    where wd_start.day = {{ start }}
)
{%- endmacro %}

{#-
  add_months_clamped(date, n)：同日加 n 个月；该月没有这一天时取该月最后一天
  （2022-08-31 + 1 个月 = 2022-09-30）。
-#}
{% macro add_months_clamped(date, n) -%}
cast({{ date }} + to_months(cast({{ n }} as integer)) as date)
{%- endmacro %}
