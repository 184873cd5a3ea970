{#- 规则引擎（models/intermediate/rules）共用的小宏：只拼列与格式化文字，不含任何政策数字。 -#}

{#- 年度 column 是政策年份（int_policy_years，即 policy_calendar 中有的年份）：规则只检查这些年度 -#}
{% macro is_policy_year(column) -%}
{{ column }} in (select policy_years.year from {{ ref('int_policy_years') }} as policy_years)
{%- endmacro %}

{#- 规则适用的申报：当前 F1、编号无歧义（FIL-03 的歧义编号不参加其它规则）、年度在 policy_calendar 中 -#}
{% macro rule_applications() -%}
select applications.*
from {{ ref('int_applications') }} as applications
where
    not applications.is_ambiguous
    and {{ is_policy_year('applications.year') }}
{%- endmacro %}

{#- 申报类规则的两个 import CTE：applications（rule_applications()）与 parameters（该年度的 int_policy_parameters）。
    写在 with 之后、规则自己的 CTE 之前：`with {{ rule_application_imports() }}, checked as (…)`；
    规则按 applications.year = parameters.year 连接两者。 -#}
{% macro rule_application_imports() -%}
applications as (

    {{ rule_applications() }}

),

parameters as (

    select * from {{ ref('int_policy_parameters') }}

)
{%- endmacro %}

{#- 报送类规则（PUB-02、FIL-01）检查的报送方：int_submitter_filing 中报送了 F1 的地区与市直主管部门，年度在 policy_calendar 中 -#}
{% macro rule_filing_submitters() -%}
select filing.*
from {{ ref('int_submitter_filing') }} as filing
where
    filing.has_roster
    and filing.submitter_kind in ('region', 'department')
    and {{ is_policy_year('filing.year') }}
{%- endmacro %}

{#- 日程与公示规则检查的评委会：int_committee_years 中范围为 scopes 之一、年度在 policy_calendar 中的行 -#}
{% macro rule_committee_years(scopes) -%}
select committee_years.*
from {{ ref('int_committee_years') }} as committee_years
where
    committee_years.scope in ('{{ scopes | join("', '") }}')
    and {{ is_policy_year('committee_years.year') }}
{%- endmacro %}

{#- 规则的登记项：reference.rules（seeds/rules.csv）中该规则一列的值（标量子查询，DuckDB 只算一次） -#}
{% macro rule_registry(rule_id, column) -%}
(select registry.{{ column }} from {{ ref('rules') }} as registry where registry.rule_id = '{{ rule_id }}')
{%- endmacro %}

{#- 规则模型的发现列（marts.findings 的列，year 除外）。参数是 SQL 表达式，缺省为空值；
    severity、subject_type、clause 读登记表，只有同一规则有两种严重程度时才传 severity（SCH-02）。
    调用它的模型带上标签 rule：marts.findings 按这个标签合并全部规则模型。 -#}
{% macro rule_columns(
    rule_id, subject_key, detail='detail', submitter_code=none, committee_code=none, region_code=none,
    series=none, level=none, source_file=none, source_row=none, severity=none
) -%}
{{- config(tags=['rule']) -}}
'{{ rule_id }}' as rule_id,
{{ severity or rule_registry(rule_id, 'severity') }} as severity,
{{ rule_registry(rule_id, 'subject_type') }} as subject_type,
{{ subject_key }} as subject_key,
{{ submitter_code or 'cast(null as varchar)' }} as submitter_code,
{{ committee_code or 'cast(null as varchar)' }} as committee_code,
{{ region_code or 'cast(null as varchar)' }} as region_code,
{{ series or 'cast(null as varchar)' }} as series,
{{ level or 'cast(null as varchar)' }} as level,
{{ rule_registry(rule_id, 'clause') }} as clause,
{{ detail }} as detail,
{{ source_file or 'cast(null as varchar)' }} as source_file,
{{ source_row or 'cast(null as integer)' }} as source_row
{%- endmacro %}

{#- 申报类发现的公共列（year 与 marts.findings 的列）：来源 CTE 须有 F1 的 application_no、submitter_code、
    committee_code、series、level、region_code 与来源列（缺省 _source_file、_source_row）；detail 为说明的 SQL 表达式（缺省为 detail 列） -#}
{% macro rule_application_columns(rule_id, detail='detail', source_file='_source_file', source_row='_source_row') -%}
year,
{{ rule_columns(
    rule_id, 'application_no', detail=detail, submitter_code='submitter_code', committee_code='committee_code',
    region_code='region_code', series='series', level='level', source_file=source_file, source_row=source_row
) }}
{%- endmacro %}

{#- 配额规则（QTA）的 marts.quota_compliance 列：quota_code 即规则编号，scope_type 即登记表的 subject_type；
    调用它的模型带上标签 quota（其 compliant = false 的行才是发现） -#}
{% macro quota_columns(rule_id, scope_code, limit_value, actual_value, compliant) -%}
{{- config(tags=['quota']) -}}
'{{ rule_id }}' as quota_code,
{{ rule_registry(rule_id, 'subject_type') }} as scope_type,
{{ scope_code }} as scope_code,
{{ limit_value }} as limit_value,
{{ actual_value }} as actual_value,
{{ compliant }} as compliant
{%- endmacro %}

{#- 日程规则（SCH）的 marts.schedule_adherence 列（subject_type 由 rule_columns 读登记表）；
    调用它的模型带上标签 schedule（其 compliant = false 的行才是发现） -#}
{% macro schedule_columns(requirement_code, subject_code, due_date, actual_date, compliant) -%}
{{- config(tags=['schedule']) -}}
'{{ requirement_code }}' as requirement_code,
{{ subject_code }} as subject_code,
{{ due_date }} as due_date,
{{ actual_date }} as actual_date,
{{ compliant }} as compliant
{%- endmacro %}

{#- 一组行中来源最前的一行的列（按 first_by…、_source_file、_source_row 的文字排序）：发现的来源行取这一行。
    columns 为 输出名 → 输入列 的字典（可省略），其后总是 source_file 与 source_row。用在 group by 的 select 里。 -#}
{% macro first_source_row(columns={}, first_by=[]) -%}
{%- set key = '[' ~ (first_by + ['_source_file', 'cast(_source_row as varchar)']) | join(', ') ~ ']' -%}
{%- for name, column in columns.items() %}
arg_min({{ column }}, {{ key }}) as {{ name }},
{%- endfor %}
arg_min(_source_file, {{ key }}) as source_file,
arg_min(_source_row, {{ key }}) as source_row
{%- endmacro %}

{#- 报送方所在地区：报送方是地区时即其代码，否则为空 -#}
{% macro submitter_region(kind='submitter_kind', code='submitter_code') -%}
case when {{ kind }} = 'region' then {{ code }} end
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

{#- 带某个标签的全部模型名（按名排序）。graph 只在执行时才有内容；依赖须由调用的模型用 depends_on 声明，
    漏了 dbt 会报错并给出要加的那一行。 -#}
{% macro tagged_models(tag) -%}
{%- set names = [] -%}
{%- if execute -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and tag in node.tags -%}
        {%- do names.append(node.name) -%}
    {%- endfor -%}
{%- endif -%}
{{- return(names | sort) -}}
{%- endmacro %}

{#- 把 models（模型名的列表）的同名列 columns union all 起来；where 为可选的过滤条件 -#}
{% macro union_models(models, columns, where=none) -%}
{%- for model_name in models %}
select
    {{ columns | join(',\n    ') }}
from {{ ref(model_name) }}
{%- if where %}
where {{ where }}
{%- endif %}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- endmacro %}

{#- 把带 tag 的规则模型的同名列 union all 起来；where 为可选的过滤条件，或 tag → 条件 的字典
    （如 quota / schedule 类模型只取 not compliant）。执行前（解析、sqlfluff）没有模型时给出一个空查询。 -#}
{% macro rule_union(tag, columns, where=none) -%}
{%- set models = tagged_models(tag) -%}
{%- for model_name in models %}
{%- set node = graph.nodes.values() | selectattr('name', 'equalto', model_name) | first %}
{%- set condition = where.get(node.tags | select('in', where.keys() | list) | first) if where is mapping else where %}
{{ union_models([model_name], columns, condition) }}
{% if not loop.last %}union all{% endif %}
{%- else %}
select
    {% for column in columns %}null as {{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
where false
{%- endfor %}
{%- endmacro %}

{#- 计入统计的 F5 结果（int_outcomes 中 is_counted 的行，where 为可选的另加条件）及 is_void：同一 年度 × 评委会 ×
    申报编号 在 int_outcome_voids 中有一行无效即为真。marts.applications 的 outcome_valid、marts.pass_rate_by_group 的
    passed_valid 与 QTA-01 的有效通过人数都由它得出。 -#}
{% macro counted_outcomes(where=none) -%}
select
    outcomes.*,
    coalesce(voids.is_void, false) as is_void
from {{ ref('int_outcomes') }} as outcomes
left join (
    select
        year,
        committee_code,
        application_no,
        bool_or(coalesce(is_void, false)) as is_void
    from {{ ref('int_outcome_voids') }}
    group by year, committee_code, application_no
) as voids
    on
        outcomes.year = voids.year
        and outcomes.committee_code = voids.committee_code
        and outcomes.application_no = voids.application_no
where
    outcomes.is_counted
    {%- if where %}
    and {{ where }}
    {%- endif %}
{%- endmacro %}

{#- 按标签合并的 mart（marts.quota_compliance、marts.schedule_adherence）的整个查询：columns 为 列名 → 类型
    （none 为不转换）的字典，按这个次序给出列；合并哪些模型见 rule_union。 -#}
{% macro rule_union_mart(tag, columns) -%}
select
    {%- for name, type in columns.items() %}
    {% if type %}cast({{ name }} as {{ type }}) as {{ name }}{% else %}{{ name }}{% endif %},
    {%- endfor %}
from (
    {{ rule_union(tag, columns.keys() | list) }}
) as unioned
{%- endmacro %}

{#- rules.md「F4 中的事项判断」（SCH-02/03/04、PUB-03 共用）：subjects（year × committee_code 唯一的 CTE）的每一行，
    在该评委会的 event_type 行中取满足 requirement（可引用 subjects.* 与 events.*）的最早一条的 date_column
    （first_ok_date），没有一条满足时用最晚一条（last_date）；event_rows 为行数。latest 为 列名 → 表达式，
    取最晚一条（date_column 最晚，同日取开始最晚）的值。 -#}
{% macro f4_earliest_else_latest(subjects, event_type, date_column, requirement, latest={}) -%}
select
    year,
    committee_code,
    count(event_date) as event_rows,
    min(case when meets_requirement then event_date end) as first_ok_date,
    max(event_date) as last_date,
    {%- for name in latest %}
    arg_max({{ name }}, latest_key) as {{ name }},
    {%- endfor %}
from (
    select
        subjects.year,
        subjects.committee_code,
        events.{{ date_column }} as event_date,
        {{ requirement }} as meets_requirement,
        [events.{{ date_column }}, events.start_date] as latest_key,
        {%- for name, expression in latest.items() %}
        {{ expression }} as {{ name }},
        {%- endfor %}
    from {{ subjects }} as subjects
    left join {{ ref('int_work_events') }} as events
        on
            subjects.year = events.year
            and subjects.committee_code = events.committee_code
            and events.event_type = '{{ event_type }}'
) as judged
group by year, committee_code
{%- endmacro %}

{#- 定向评价岗位配额规则（QTA-03、QTA-04）的整个查询：每个 int_directed_post_quotas 行一行，actual 为实际人数列，
    上限为空岗数，detail 为说明的 SQL 表达式；compliant = false 即一条违规发现。 -#}
{% macro directed_quota_rule(rule_id, actual, detail) -%}
select
    year,
    {{ quota_columns(
        rule_id,
        "region_code || '/' || field",
        'cast(vacant_posts as double)',
        'cast(' ~ actual ~ ' as double)',
        'coalesce(' ~ actual ~ ' <= vacant_posts, false)',
    ) }},
    {{ rule_columns(
        rule_id,
        "region_code || '/' || field",
        detail=detail,
        submitter_code='region_code',
        region_code='region_code',
        source_file='source_file',
        source_row='source_row',
    ) }},
from {{ ref('int_directed_post_quotas') }}
{%- endmacro %}
