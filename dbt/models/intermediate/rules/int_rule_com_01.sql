-- COM-01 六(四)（提示）：评委在某评委会 Y 年名单上，且在 Y−1 … Y−EVALUATOR_CONSECUTIVE_YEARS 每一年
-- 都在某个评委会名单上（连续任职过长）。每个 评委 × 评委会 × 年度 一条。名单年度以 年度 列为准。

with

rosters as (

    select * from {{ ref('stg_evaluator_roster__evaluators') }}
    where evaluator_key is not null

),

parameters as (

    select * from {{ ref('int_policy_parameters') }}

),

current_members as (

    select
        rosters.roster_year as year,
        rosters.committee_code,
        rosters.evaluator_key,
        arg_min(rosters._source_file, [rosters._source_file, cast(rosters._source_row as varchar)]) as source_file,
        arg_min(rosters._source_row, [rosters._source_file, cast(rosters._source_row as varchar)]) as source_row,
    from rosters
    where {{ is_policy_year('rosters.roster_year') }}
    group by rosters.roster_year, rosters.committee_code, rosters.evaluator_key

),

history as (

    select
        current_members.year,
        current_members.committee_code,
        current_members.evaluator_key,
        parameters.evaluator_consecutive_years as required_years,
        count(distinct rosters.roster_year) as years_served,
    from current_members
    inner join parameters
        on current_members.year = parameters.year
    inner join rosters
        on
            current_members.evaluator_key = rosters.evaluator_key
            and current_members.year > rosters.roster_year
            and rosters.roster_year >= current_members.year - cast(parameters.evaluator_consecutive_years as integer)
    group by
        current_members.year,
        current_members.committee_code,
        current_members.evaluator_key,
        parameters.evaluator_consecutive_years

),

final as (

    select
        current_members.year,
        {%- set detail -%}
            '评委' || current_members.evaluator_key || '在评委会' || current_members.committee_code || '的'
            || cast(current_members.year as varchar) || '年度名单上，且此前连续' || {{ rule_fmt_num('history.required_years') }}
            || '年都担任评委，应按规定轮换'
        {%- endset %}
        {{ rule_columns(
            'COM-01',
            'current_members.evaluator_key',
            detail=detail,
            submitter_code='current_members.committee_code',
            committee_code='current_members.committee_code',
            source_file='current_members.source_file',
            source_row='current_members.source_row'
        ) }},
    from current_members
    inner join history
        on
            current_members.year = history.year
            and current_members.committee_code = history.committee_code
            and current_members.evaluator_key = history.evaluator_key
    where history.years_served >= history.required_years

)

select * from final
