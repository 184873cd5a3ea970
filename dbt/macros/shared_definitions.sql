{#- rules.md「共用定义」中只依赖列值的部分（枚举值来自 contract.md，不是政策数字） -#}

{#- 级别次序：无 < 初级 < 中级 < 副高级 < 正高级（0..4）；其它值为 null -#}
{% macro level_rank(level) -%}
case {{ level }}
    when '无' then 0
    when '初级' then 1
    when '中级' then 2
    when '副高级' then 3
    when '正高级' then 4
end
{%- endmacro %}

{#- 高级 = 副高级或正高级 -#}
{% macro is_senior_level(level) -%}
coalesce({{ level }} in ('副高级', '正高级'), false)
{%- endmacro %}

{#- 学历本科及以上 -#}
{% macro is_degree_bachelor_plus(education) -%}
coalesce({{ education }} in ('博士研究生', '硕士研究生', '大学本科'), false)
{%- endmacro %}

{#- 基层工作地：旗县区直或乡镇及以下 -#}
{% macro is_grassroots_workplace(workplace_level) -%}
coalesce({{ workplace_level }} in ('旗县区直', '乡镇及以下'), false)
{%- endmacro %}

{#- 非公有制领域：非公有制企业、社会组织、自由职业 -#}
{% macro is_non_public_sector(unit_nature) -%}
coalesce({{ unit_nature }} in ('非公有制企业', '社会组织', '自由职业'), false)
{%- endmacro %}

{#- 专业匹配：申报专业包含 words（以 | 分隔的词表，如 series.csv 的 doctor_specialties）中的任一词。
    逐词按字面包含比较（contains），不用正则：words 是一列而不是常量时，regexp_matches 每行都要重新编译
    这个模式（10 万行约 0.65 秒，字面比较约 0.03 秒，见 docs/scale.md 第 2 节）。 -#}
{% macro specialty_matches(specialty, words) -%}
coalesce(
    {{ specialty }} is not null
    and nullif({{ words }}, '') is not null
    and list_bool_or(list_transform(string_split({{ words }}, '|'), lambda word: contains({{ specialty }}, word))),
    false
)
{%- endmacro %}

{#- 公示是否充分：两个日期都有、结束不早于开始、工作日数 ≥ min_workdays -#}
{% macro publicity_is_adequate(start, end, min_workdays) -%}
coalesce(
    {{ start }} is not null
    and {{ end }} is not null
    and {{ end }} >= {{ start }}
    and {{ workdays_between(start, end) }} >= {{ min_workdays }},
    false
)
{%- endmacro %}
