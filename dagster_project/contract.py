"""The tables the platform promises (contract v3 §4, schema ``marts``, stable names), in the order the
analyst guide presents them. Tests, the report asset and the guide read this list."""

CONTRACT_MARTS = (
    "applications",
    "findings",
    "pass_rate_by_group",
    "quota_compliance",
    "schedule_adherence",
    "filing_completeness",
    "load_audit",
)
