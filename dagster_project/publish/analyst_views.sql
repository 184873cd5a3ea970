-- 服务快照中的分析视图（schema analyst）。只读 marts.* 与 analyst.dim_*（机构名称与代码中文名字典），
-- 不含身份证号与姓名；人员只以 person_key（载入时计算的不可逆编码）出现。
-- 每条语句都是 create or replace view analyst.<名称>，由 publish/snapshot.py 按顺序在新快照里执行。

-- 申报：一行一个当前、无歧义的申报，附地区、报送单位、评委会名称与是否参评/通过/有效通过
create or replace view analyst.applications as
select
    a.year,
    a.application_no,
    a.person_key,
    a.submitter_code,
    coalesce(s.submitter_name, a.submitter_code) as submitter_name,
    nullif(a.region_code, '') as region_code,
    coalesce(r.region_name, '市直及其他') as region_name,
    a.unit_name,
    a.series,
    a.level,
    a.route,
    a.committee_code,
    coalesce(c.committee_name, a.committee_code) as committee_name,
    a.group_name,
    a.outcome,
    try_cast(a.outcome_valid as boolean) as outcome_valid,
    a.outcome is not null and a.outcome <> '未评审' as is_evaluated,
    a.outcome = '通过' as is_passed,
    a.outcome = '通过' and coalesce(try_cast(a.outcome_valid as boolean), false) as is_passed_valid
from marts.applications as a
left join analyst.dim_submitters as s on a.submitter_code = s.submitter_code
left join analyst.dim_regions as r on r.region_code = nullif(a.region_code, '')
left join analyst.dim_committees as c on a.committee_code = c.committee_code;

-- 违规与提示：一行一条，附名称；application_no 只在对象为申报时有值
create or replace view analyst.findings as
select
    f.year,
    f.rule_id,
    split_part(f.rule_id, '-', 1) as rule_family,
    f.severity,
    f.subject_type,
    coalesce(tl.label, f.subject_type) as subject_type_label,
    f.subject_key,
    case when f.subject_type = 'application' then f.subject_key end as application_no,
    f.submitter_code,
    coalesce(s.submitter_name, f.submitter_code, '（无报送单位）') as submitter_name,
    f.committee_code,
    coalesce(c.committee_name, f.committee_code) as committee_name,
    nullif(f.region_code, '') as region_code,
    coalesce(r.region_name, '市直及其他') as region_name,
    f.series,
    f.level,
    f.clause,
    f.detail,
    f.source_file,
    f.source_row
from marts.findings as f
left join analyst.dim_submitters as s on f.submitter_code = s.submitter_code
left join analyst.dim_committees as c on f.committee_code = c.committee_code
left join analyst.dim_regions as r on r.region_code = nullif(f.region_code, '')
left join analyst.dim_labels as tl on tl.kind = 'subject_type' and f.subject_type = tl.code;

-- 通过率：年度 × 评委会 × 层级 × 评审分组
create or replace view analyst.pass_rates as
select
    p.year,
    p.committee_code,
    coalesce(c.committee_name, p.committee_code) as committee_name,
    p.level,
    p.group_name,
    p.evaluated,
    p.passed,
    p.passed_valid,
    p.pass_rate,
    p.pass_rate_valid
from marts.pass_rate_by_group as p
left join analyst.dim_committees as c on p.committee_code = c.committee_code;

-- 指标控制：限额与实际
create or replace view analyst.quota_compliance as
select
    q.year,
    q.quota_code,
    q.scope_type,
    q.scope_code,
    case q.scope_type
        when 'city' then '呼和浩特市'
        when 'submitter' then coalesce(s.submitter_name, q.scope_code)
        when 'region_field'
            then coalesce(r.region_name, split_part(q.scope_code, '/', 1)) || '/' || split_part(q.scope_code, '/', 2)
        else q.scope_code
    end as scope_name,
    coalesce(r.region_name, case when q.scope_type = 'city' then '全市' else '市直及其他' end) as region_name,
    q.limit_value,
    q.actual_value,
    q.compliant
from marts.quota_compliance as q
left join analyst.dim_submitters as s on q.scope_code = s.submitter_code
left join analyst.dim_regions as r on r.region_code = split_part(q.scope_code, '/', 1);

-- 时限执行：对象为评委会、地区或申报；region_name 取地区本身、评委会的主办地区或申报所在地区
create or replace view analyst.schedule_adherence as
select
    h.year,
    h.requirement_code,
    h.subject_type,
    h.subject_code,
    coalesce(c.committee_name, r.region_name, h.subject_code) as subject_name,
    coalesce(r.region_name, hr.region_name, ar.region_name, '市直及其他') as region_name,
    h.due_date,
    h.actual_date,
    h.compliant,
    case when h.compliant then '按时' when h.actual_date is null then '缺失' else '逾期' end as status,
    h.actual_date - h.due_date as days_late
from marts.schedule_adherence as h
left join analyst.dim_committees as c on h.subject_type = 'committee' and h.subject_code = c.committee_code
left join analyst.dim_regions as r on h.subject_type = 'region' and h.subject_code = r.region_code
left join analyst.dim_regions as hr on c.host_code = hr.region_code
left join marts.applications as a
    on h.subject_type = 'application' and h.subject_code = a.application_no and h.year = a.year
left join analyst.dim_regions as ar on ar.region_code = nullif(a.region_code, '');

-- 报送完整性：年度 × 报送单位
create or replace view analyst.filing_completeness as
select
    f.year,
    f.submitter_code,
    coalesce(s.submitter_name, f.submitter_code) as submitter_name,
    coalesce(r.region_name, '市直及其他') as region_name,
    f.has_roster,
    f.roster_publicity_ok,
    f.materials_ok,
    f.summary_report_ok,
    f.publicity_report_ok,
    f.complete
from marts.filing_completeness as f
left join analyst.dim_submitters as s on f.submitter_code = s.submitter_code
left join analyst.dim_regions as r on f.submitter_code = r.region_code;

-- 年度总览：申报、参评、通过、有效通过、有效通过率、违规与提示条数
create or replace view analyst.headline as
with apps as (
    select
        year,
        count(*) as applications,
        count(*) filter (where is_evaluated) as evaluated,
        count(*) filter (where is_passed) as passed,
        count(*) filter (where is_passed_valid) as passed_valid
    from analyst.applications
    group by year
),

breaches as (
    select
        year,
        count(*) filter (where severity = '违规') as violations,
        count(*) filter (where severity = '提示') as advisories
    from marts.findings
    group by year
)

select
    coalesce(apps.year, breaches.year) as year,
    coalesce(apps.applications, 0) as applications,
    coalesce(apps.evaluated, 0) as evaluated,
    coalesce(apps.passed, 0) as passed,
    coalesce(apps.passed_valid, 0) as passed_valid,
    case when apps.evaluated > 0 then apps.passed_valid / apps.evaluated end as pass_rate_valid,
    coalesce(breaches.violations, 0) as violations,
    coalesce(breaches.advisories, 0) as advisories
from apps
full outer join breaches on apps.year = breaches.year;

-- 文件载入情况（不含行内容）
create or replace view analyst.load_audit as
select
    l.year,
    l.submitter_code,
    coalesce(s.submitter_name, l.submitter_code) as submitter_name,
    l.file,
    l.sheet,
    l.form,
    l.rows_read,
    l.rows_loaded,
    l.rows_quarantined,
    l.superseded
from marts.load_audit as l
left join analyst.dim_submitters as s on l.submitter_code = s.submitter_code;

-- ---- 仪表板用视图：每个图表的数据集都带 年度、评委会、地区、系列、层级 五个筛选列 ----

-- 筛选维度：每个对象（全市、报送单位、地区、评委会、申报）涉及的 评委会 × 系列 × 层级，取自其申报
create or replace view analyst.scope_dimensions as
with apps as (
    select distinct
        year,
        application_no,
        submitter_code,
        region_code,
        committee_code,
        committee_name,
        series,
        level
    from analyst.applications
)

select
    year,
    'application' as scope_type,
    application_no as scope_code,
    committee_name,
    series,
    level
from apps
union
select
    year,
    'submitter' as scope_type,
    submitter_code as scope_code,
    committee_name,
    series,
    level
from apps
union
select
    year,
    'region' as scope_type,
    region_code as scope_code,
    committee_name,
    series,
    level
from apps
where region_code is not null
union
select
    year,
    'committee' as scope_type,
    committee_code as scope_code,
    committee_name,
    series,
    level
from apps
where committee_code is not null
union
select
    year,
    'city' as scope_type,
    null as scope_code,
    committee_name,
    series,
    level
from apps;

-- 分组通过率：年度 × 评委会 × 层级 × 系列 × 地区 × 评审分组 一格一行（只计已参评）；is_general 标出普通组
-- （analyst.dim_review_groups，名称只在 forms.py 定义一次），仪表板在同一筛选范围内与普通组比较
create or replace view analyst.group_pass_rates as
select
    a.year,
    a.committee_code,
    a.committee_name,
    a.level,
    a.series,
    a.region_name,
    a.group_name,
    coalesce(g.is_general, false) as is_general,
    coalesce(g.sort_order, 99) as group_order,
    count(*) as evaluated,
    count(*) filter (where a.is_passed) as passed,
    count(*) filter (where a.is_passed_valid) as passed_valid
from analyst.applications as a
left join analyst.dim_review_groups as g on a.group_name = g.group_name
where a.is_evaluated
group by
    a.year, a.committee_code, a.committee_name, a.level, a.series, a.region_name, a.group_name,
    g.is_general, g.sort_order;

-- 指标控制（按筛选维度展开）：每个限额 × 其范围内申报涉及的 评委会/系列/层级；excess = 实际 − 限额
create or replace view analyst.quota_scopes as
-- one equality join: a city quota takes every city row of its year ('*'), a region quota its region's rows
with dimensions as (
    select
        *,
        case when scope_type = 'city' then '*' else scope_code end as join_code
    from analyst.scope_dimensions
)

select
    q.year,
    q.quota_code,
    q.scope_type,
    coalesce(sl.label, q.scope_type) as scope_type_label,
    q.scope_code,
    q.scope_name,
    q.region_name,
    q.limit_value,
    q.actual_value,
    q.actual_value - q.limit_value as excess,
    q.compliant,
    d.committee_name,
    d.series,
    d.level
from analyst.quota_compliance as q
left join analyst.dim_labels as sl on sl.kind = 'scope_type' and q.scope_type = sl.code
left join dimensions as d
    on
        q.year = d.year
        and d.scope_type = case q.scope_type
            when 'city' then 'city' when 'submitter' then 'submitter' when 'region_field' then 'region'
        end
        and d.join_code = case q.scope_type
            when 'city' then '*' when 'region_field' then split_part(q.scope_code, '/', 1) else q.scope_code
        end;

-- 时限执行（按筛选维度展开）：item_key 标识一项时限要求，计数用 count(distinct item_key)
create or replace view analyst.schedule_scopes as
select
    h.year,
    h.requirement_code,
    h.subject_type,
    h.subject_code,
    h.subject_name,
    h.region_name,
    h.compliant,
    h.status,
    h.year || '/' || h.requirement_code || '/' || h.subject_type || '/' || h.subject_code as item_key,
    d.committee_name,
    d.series,
    d.level
from analyst.schedule_adherence as h
left join analyst.scope_dimensions as d
    on h.year = d.year and h.subject_type = d.scope_type and h.subject_code = d.scope_code;

-- 报送完整性（按筛选维度展开）：missing_items = 缺少的材料项数（0 为完整），表格按它从多到少排列
create or replace view analyst.filing_scopes as
select
    f.year,
    f.submitter_code,
    f.submitter_name,
    f.region_name,
    f.has_roster,
    f.roster_publicity_ok,
    f.materials_ok,
    f.summary_report_ok,
    f.publicity_report_ok,
    f.complete,
    (case when f.has_roster then 0 else 1 end)
    + (case when f.roster_publicity_ok then 0 else 1 end)
    + (case when f.materials_ok then 0 else 1 end)
    + (case when f.summary_report_ok then 0 else 1 end)
    + (case when f.publicity_report_ok then 0 else 1 end) as missing_items,
    d.committee_name,
    d.series,
    d.level
from analyst.filing_completeness as f
left join analyst.scope_dimensions as d
    on f.year = d.year and d.scope_type = 'submitter' and f.submitter_code = d.scope_code;
