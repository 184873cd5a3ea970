-- 告知书送达（唯一一处）：每条发现送达哪些单位、以什么身份（整改 / 知悉）、经什么渠道。
-- 1. 每条发现送达其 submitter_code（报送单位）。
-- 2. 评委会自身行为或数据有误的规则（评委会组成、投票、结果与花名册、备案、评审范围、
--    结果公示、评审与备案进度），另送达该评委会；评委会须整改，报送单位知悉。
-- 3. 评审通过结果被判无效的申报（其规则 voids），另送达作出该结果的评委会知悉，附无效原因。
-- 层级为“自治区”的评委会不由本局告知：列入监管报告“需向自治区反映的问题”（channel = 向自治区反映）。
-- 未登记的评委会代码无处送达，只送达报送单位。

{%- set committee_conduct_rules = [
    'COM-02', 'COM-03', 'COM-04', 'CHN-03', 'CHN-04', 'PUB-03', 'SCH-02', 'SCH-03', 'SCH-04',
] %}

with

findings as (

    select * from {{ ref('findings') }}

),

rules as (

    select * from {{ ref('rules') }}

),

applications as (

    select * from {{ ref('applications') }}

),

submitters as (

    select * from {{ ref('submitters') }}

),

conduct as (

    select
        findings.finding_id,
        findings.committee_code,
    from findings
    where
        findings.rule_id in (
            {%- for rule_id in committee_conduct_rules %}
                '{{ rule_id }}'{{ "," if not loop.last }}
            {%- endfor %}
        )
        and findings.committee_code is not null

),

voided as (

    select
        findings.finding_id,
        applications.committee_code,
    from findings
    inner join rules
        on findings.rule_id = rules.rule_id
    inner join applications
        on
            findings.year = applications.year
            and findings.subject_key = applications.application_no
    where
        findings.subject_type = 'application'
        and rules.voids in ('yes', 'some')
        and applications.outcome = '通过'
        and not coalesce(applications.outcome_valid, true)
        and applications.committee_code is not null

),

committee_rows as (

    select
        conduct.finding_id,
        conduct.committee_code as recipient_code,
        '整改' as role,
        '评委会自身的评审程序或数据有误' as reason,
    from conduct
    union all
    select
        voided.finding_id,
        voided.committee_code as recipient_code,
        '知悉' as role,
        '该评委会作出的评审通过结果因此无效' as reason,
    from voided
    where voided.finding_id not in (select conduct.finding_id from conduct)

),

submitter_rows as (

    select
        findings.finding_id,
        findings.submitter_code as recipient_code,
        case
            when
                findings.finding_id in (
                    select committee_rows.finding_id
                    from committee_rows
                    where committee_rows.role = '整改'
                )
                and findings.submitter_code <> findings.committee_code
                then '知悉'
            else '整改'
        end as role,
        '报送单位' as reason,
    from findings

),

routed as (

    select * from submitter_rows
    union all
    select committee_rows.*
    from committee_rows
    inner join findings
        on committee_rows.finding_id = findings.finding_id
    where committee_rows.recipient_code <> findings.submitter_code

),

final as (

    select distinct
        findings.year,
        routed.finding_id,
        findings.rule_id,
        routed.recipient_code,
        routed.role,
        case
            when submitters.committee_scope = '自治区' then '向自治区反映'
            else '告知书'
        end as channel,
        routed.reason,
    from routed
    inner join findings
        on routed.finding_id = findings.finding_id
    left join submitters
        on routed.recipient_code = submitters.submitter_code
    where
        routed.recipient_code is not null
        and (routed.reason = '报送单位' or submitters.submitter_code is not null)

)

select * from final
