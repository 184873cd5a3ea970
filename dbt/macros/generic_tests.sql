{#- 自写的通用数据测试（无 dbt_utils）。只测模型的不变量，从不测政策违规。 -#}

{#- 几列组合唯一 -#}
{% test unique_combination(model, columns) %}
select
    {{ columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

{#- 表达式对每一行都成立（null 视为不成立） -#}
{% test expression_is_true(model, expression) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{% endtest %}

{#- 列值在 [min_value, max_value] 内（null 不检查） -#}
{% test value_between(model, column_name, min_value, max_value) %}
select *
from {{ model }}
where {{ column_name }} is not null
    and ({{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }})
{% endtest %}

{#- 几列都不得为空（一个模型的全部非空列一项测试，而不是每列一项：dbt 每个测试节点都有固定开销）：
    每个有空值的列一行，给出列名与空值行数 -#}
{% test not_null_columns(model, columns) %}
{%- for column in columns %}
select
    '{{ column }}' as column_name,
    count(*) as null_rows
from {{ model }}
where {{ column }} is null
having count(*) > 0
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% endtest %}
