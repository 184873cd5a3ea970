-- 当前 F1 申报（每个 年度 × 报送方 × 网上申报编号 一行，含歧义编号，用 is_ambiguous 标记），
-- 附报送方类别、评委会范围与覆盖、级别次序与 rules.md「共用定义」的各项判断。
-- 含姓名、身份证号：只留在 intermediate，marts 不得选取。

with

applications as (

    select * from {{ ref('stg_application_roster__applications') }}

),

submitters as (

    select * from {{ ref('int_submitters') }}

),

committees as (

    select * from {{ ref('int_committees') }}

),

filings as (

    select * from {{ ref('int_committee_filings') }}

),

coverage as (

    select * from {{ ref('int_committee_coverage') }}

),

series as (

    select * from {{ ref('series') }}

),

parameters as (

    select * from {{ ref('int_policy_parameters') }}

),

deadlines as (

    select * from {{ ref('int_policy_deadlines') }}

),

submitters_per_number as (

    select
        year,
        application_no,
        count(distinct submitter_code) as submitter_count
    from applications
    group by year, application_no

),

joined as (

    select
        applications.*,
        submitters.submitter_kind,
        submitters.region_kind,
        coalesce(submitters.is_urban, false) as is_urban_submitter,
        case
            when submitters.submitter_kind = 'region' then applications.submitter_code
        end as region_code,
        submitters_per_number.submitter_count as ambiguous_submitter_count,
        submitters_per_number.submitter_count > 1 as is_ambiguous,
        committees.committee_code is not null as committee_known,
        committees.scope as committee_scope,
        case when committees.committee_code is not null then filings.committee_code is not null end as committee_filed,
        filings.filed_date as committee_filed_date,
        committees.is_self_evaluation as committee_is_self_evaluation,
        coverage.committee_code is not null as committee_covers,
        series.series is not null as series_known,
        series.exam_mid_junior as series_exam_mid_junior,
        series.exam_senior_levels as series_exam_senior_levels,
        series.exam_specialties as series_exam_specialties,
        series.directed_field as series_directed_field,
        series.directed_specialties as series_directed_specialties,
        series.doctor_specialties as series_doctor_specialties,
        parameters.publicity_min_workdays,
        deadlines.cutoff_seniority as seniority_cutoff
    from applications
    left join submitters
        on applications.submitter_code = submitters.submitter_code
    left join submitters_per_number
        on
            applications.year = submitters_per_number.year
            and applications.application_no = submitters_per_number.application_no
    left join committees
        on applications.committee_code = committees.committee_code
    left join filings
        on
            applications.year = filings.year
            and applications.committee_code = filings.committee_code
    left join coverage
        on
            applications.committee_code = coverage.committee_code
            and applications.series = coverage.series
            and applications.level = coverage.level
    left join series
        on applications.series = series.series
    left join parameters
        on applications.year = parameters.year
    left join deadlines
        on applications.year = deadlines.year

),

final as (

    select
        *,
        {{ level_rank('level') }} as level_rank,
        {{ level_rank('current_level') }} as current_level_rank,
        {{ is_senior_level('level') }} as is_senior,
        coalesce(
            {{ level_rank('level') }} = {{ level_rank('current_level') }} + 1, false
        ) as is_one_level_up,
        {{ is_degree_bachelor_plus('education') }} as is_degree_bachelor_plus,
        {{ is_grassroots_workplace('workplace_level') }} as is_grassroots_workplace,
        {{ is_non_public_sector('unit_nature') }} as is_non_public_sector,
        coalesce(
            {{ specialty_matches('specialty', 'series_doctor_specialties') }}, false
        ) as is_doctor,
        {{ specialty_matches('specialty', 'series_exam_specialties') }} as is_exam_specialty,
        (
            nullif(series_exam_specialties, '') is null
            or {{ specialty_matches('specialty', 'series_exam_specialties') }}
        ) as exam_specialty_applies,
        case
            when nullif(series_directed_specialties, '') is null then nullif(series_directed_field, '')
            when {{ specialty_matches('specialty', 'series_directed_specialties') }}
                then nullif(series_directed_field, '')
        end as directed_field,
        coalesce(graduation_date > seniority_cutoff, false) as graduated_after_cutoff,
        coalesce(current_title_date > seniority_cutoff, false) as current_title_after_cutoff,
        {{ workdays_between('unit_publicity_start', 'unit_publicity_end') }} as unit_publicity_workdays,
        {{ publicity_is_adequate('unit_publicity_start', 'unit_publicity_end', 'publicity_min_workdays') }}
            as unit_publicity_adequate
    from joined

)

select * from final
