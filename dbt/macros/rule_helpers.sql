{#- 规则引擎（models/intermediate/rules）共用的小宏：只拼列与格式化文字，不含任何政策数字。 -#}

{#- 规则适用的申报：当前 F1、编号无歧义（FIL-03 的歧义编号不参加其它规则）、年度在 policy_calendar 中 -#}
{% macro rule_applications() -%}
select applications.*
from {{ ref('int_applications') }} as applications
where
    not applications.is_ambiguous
    and applications.year in (select policy_years.year from {{ ref('int_policy_years') }} as policy_years)
{%- endmacro %}

{#- 申报类发现的公共列（来源 CTE 须有 F1 全部字段与 region_code、detail 列） -#}
{% macro rule_application_columns(rule_id, severity, clause) -%}
year,
'{{ rule_id }}' as rule_id,
'{{ severity }}' as severity,
'application' as subject_type,
application_no as subject_key,
submitter_code,
committee_code,
region_code,
series,
level,
'{{ clause }}' as clause,
detail,
_source_file as source_file,
_source_row as source_row
{%- endmacro %}

{#- 日期写成 2022-09-29；空值写“未填” -#}
{% macro rule_fmt_date(value) -%}
coalesce(strftime({{ value }}, '%Y-%m-%d'), '未填')
{%- endmacro %}

{#- 数字：整数不带小数点，其它保留两位；空值写“未填” -#}
{% macro rule_fmt_num(value) -%}
coalesce(
    case
        when {{ value }} = trunc({{ value }}) then cast(cast({{ value }} as bigint) as varchar)
        else cast(round({{ value }}, 2) as varchar)
    end,
    '未填'
)
{%- endmacro %}

{#- 文本空值写“未填” -#}
{% macro rule_fmt_text(value) -%}
coalesce(nullif({{ value }}, ''), '未填')
{%- endmacro %}

{#- 日期 value 在 anchor 之前 n 年以内：anchor − n 年 < value ≤ anchor（与 INT-01 同一写法） -#}
{% macro rule_within_years_before(value, anchor, n) -%}
coalesce(
    {{ value }} > cast({{ anchor }} - to_years(cast({{ n }} as integer)) as date)
    and {{ value }} <= {{ anchor }},
    false
)
{%- endmacro %}

{#- 把若干规则模型的同名列 union all 起来；where 为可选的过滤条件（如 not compliant） -#}
{% macro rule_union(rule_models, columns, where=none) -%}
{%- for rule in rule_models %}
select
    {{ columns | join(',\n    ') }}
from {{ ref(rule) }}
{%- if where %}
where {{ where }}
{%- endif %}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- endmacro %}
