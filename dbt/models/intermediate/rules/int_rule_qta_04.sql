-- QTA-04 四(十)：各地区每个专业领域的当前定向评价申报数不超过 F3 空岗数
-- （没有 F3 的地区没有行，由 SCH-05 处理）。每个 年度 × 地区 × 专业领域 一行；compliant = false 即一条违规发现。
-- 查询由宏 directed_quota_rule 写出（与 QTA-03 共用，读 int_directed_post_quotas），这里只给实际人数列与说明。

{%- set detail -%}
    '“' || field || '”定向评价申报' || cast(directed_applications as varchar) || '人，超过定向评价空岗数'
    || cast(vacant_posts as varchar) || '个'
{%- endset %}

{{ directed_quota_rule('QTA-04', 'directed_applications', detail) }}
