-- QTA-03 四(十)：各地区 F3 每个专业领域的拟推荐申报数不超过空岗数。
-- 每个 年度 × 地区 × 专业领域 一行（marts.quota_compliance 的 region_field 行）；compliant = false 即一条违规发现。
-- 查询由宏 directed_quota_rule 写出（与 QTA-04 共用，读 int_directed_post_quotas），这里只给实际人数列与说明。

{%- set detail -%}
    '定向评价岗位表“' || field || '”拟推荐申报' || cast(planned_applications as varchar) || '人，超过空岗数'
    || cast(vacant_posts as varchar) || '个'
{%- endset %}

{{ directed_quota_rule('QTA-03', 'planned_applications', detail) }}
