-- COM-03 人社部令第40号：评审通过须 实到评委数 ≥ 应到评委数 × VOTE_QUORUM_NUM/DEN（到会人数），
-- 且 赞成票数 ≥ 实到评委数 × VOTE_PASS_NUM/DEN；否则违规且该结果无效。比较用整数乘法，保持精确。

with

{{ rule_application_imports() }},

outcomes as (

    select * from {{ ref('int_outcomes') }}
    where is_counted and outcome = '通过'

),

checked as (

    select
        applications.*,
        outcomes.committee_code as outcome_committee_code,
        outcomes.members_expected,
        outcomes.members_present,
        outcomes.votes_for,
        outcomes.members_present * cast(parameters.vote_quorum_den as bigint)
        < outcomes.members_expected * cast(parameters.vote_quorum_num as bigint) as no_quorum,
        outcomes.votes_for * cast(parameters.vote_pass_den as bigint)
        < outcomes.members_present * cast(parameters.vote_pass_num as bigint) as too_few_votes,
        cast(parameters.vote_quorum_num as bigint) as quorum_num,
        cast(parameters.vote_quorum_den as bigint) as quorum_den,
        cast(parameters.vote_pass_num as bigint) as pass_num,
        cast(parameters.vote_pass_den as bigint) as pass_den,
    from outcomes
    inner join applications
        on
            outcomes.year = applications.year
            and outcomes.application_no = applications.application_no
    inner join parameters
        on outcomes.year = parameters.year

),

breaches as (

    select
        * exclude (committee_code),
        outcome_committee_code as committee_code,
        '评审结果为通过，但' || concat_ws(
            '，且',
            case
                when no_quorum
                    then
                        '实到评委' || cast(members_present as varchar) || '人，不足应到评委'
                        || cast(members_expected as varchar) || '人的' || cast(quorum_num as varchar) || '/'
                        || cast(quorum_den as varchar)
            end,
            case
                when too_few_votes
                    then
                        '赞成票' || cast(votes_for as varchar) || '票，不足实到评委' || cast(members_present as varchar)
                        || '人的' || cast(pass_num as varchar) || '/' || cast(pass_den as varchar)
            end
        ) || '，评审通过无效' as detail,
    from checked
    where coalesce(no_quorum or too_few_votes, false)

),

final as (

    select
        {{ rule_application_columns('COM-03') }},
        true as voids_outcomes,
    from breaches

)

select * from final
