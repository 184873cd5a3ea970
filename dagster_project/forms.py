"""The seven forms of the data contract (contract.md section 2), as data.

This module is the one place that names the forms' columns: the reader that
recognises a form, the validator, the raw tables, the sample generator and the
submitter templates all read it.  Raw tables use the English ``field`` names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Column kinds understood by the validator.
TEXT = "text"  # free text, NFKC-folded and trimmed; numbers written as integers
CODE = "code"  # like text, but a code (committee code)
APP_NO = "application_no"  # 网上申报编号: 4–32 of [A-Za-z0-9-], not 18 digits
ID_NUMBER = "id_number"  # 身份证号 (validated by 证件类型)
DATE = "date"  # any date format of contract section 1 (no year check)
EVENT_DATE = "event_date"  # a date whose year must be within 1 of the folder's year
INT = "int"  # integer >= 0 (or > 0 with min_value=1)
NUMBER = "number"  # number >= 0
BOOL = "bool"  # 是/否, Y/N, √/blank
ENUM = "enum"  # one of ``values``
UNIT_NAME = "unit_name"  # text, stored also normalised (every inner white space dropped)

LEVELS = ("正高级", "副高级", "中级", "初级")
CURRENT_LEVELS = ("正高级", "副高级", "中级", "初级", "无")
ID_TYPES = ("居民身份证", "护照", "港澳台居民居住证", "外国人永久居留身份证")
ID_TYPES_CHECKED = ("居民身份证", "港澳台居民居住证")
UNIT_NATURES = ("机关", "事业单位", "国有企业", "非公有制企业", "社会组织", "自由职业")
UNIT_AFFILIATIONS = ("本市", "驻呼中央单位", "外省区驻呼单位")
PERSONNEL_STATUSES = (
    "在职",
    "公务员",
    "参照公务员法管理",
    "离退休",
    "军转干部",
    "原公务员调入",
    "高技能人才",
    "博士后",
)
WORKPLACE_LEVELS = ("市直", "旗县区直", "乡镇及以下")
EDUCATIONS = ("博士研究生", "硕士研究生", "大学本科", "大学专科", "中专", "高中及以下")
EDUCATION_MODES = ("全日制", "非全日制")
ROUTES = ("正常申报", "破格申报", "转系列", "考核认定", "定向评价", "直接申报")
EXAM_RESULTS = ("是", "否", "不适用")
DIRECTED_FIELDS = ("基层卫生", "中小学教师", "农牧业", "林业", "水利", "乌兰牧骑")
EVENT_TYPES = (
    "花名册公示",
    "材料报送",
    "工作情况总结报告",
    "公示结果报告",
    "评审实施方案备案",
    "评审结果公示",
    "核准备案报告",
    "延期申请",
)
# F4 events that need a committee code, and the publicity events (start/end dates).
COMMITTEE_EVENT_TYPES = ("评审实施方案备案", "评审结果公示", "核准备案报告", "延期申请")
PUBLICITY_EVENT_TYPES = ("花名册公示", "评审结果公示")
OUTCOMES = ("通过", "未通过")
# The review groups (评审分组, contract §2 F5) in use: the one list that templates offer and the
# dashboards and report compare against; the first is the general group (普通组). F5 keeps the
# column free text (a committee may name another group), the template offers this list.
REVIEW_GROUPS = ("普通组", "基层组", "非公组", "专精特新组", "定向评价组")
GENERAL_GROUP = REVIEW_GROUPS[0]
GENDERS = ("男", "女")
# The series come from seeds/series.csv; the validator fills them in (SERIES marker).
SERIES = "__series__"


@dataclass(frozen=True)
class Column:
    header: str  # the Chinese header as submitters write it
    field: str  # the raw table's column name
    kind: str
    required: bool = False
    values: tuple[str, ...] | str = ()  # allowed values for ENUM (or SERIES)
    default: object = None  # taken when the cell is blank
    min_value: int = 0  # for INT / NUMBER
    note: str = ""  # a short Chinese hint for templates


@dataclass(frozen=True)
class Form:
    code: str  # F1 … F7
    name: str  # Chinese name
    table: str  # raw table name (schema raw)
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]  # field names
    # fields that identify a person (get person_key) / an evaluator (evaluator_key)
    person_field: str | None = None
    evaluator_field: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def required_headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns if c.required)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, field_name: str) -> Column:
        for c in self.columns:
            if c.field == field_name:
                return c
        raise KeyError(field_name)


# the identity columns of a person's row (F1 carries a note on the ID number; F5 and F7 share both)
ID_TYPE_COLUMN = Column("证件类型", "id_type", ENUM, False, ID_TYPES, default="居民身份证")
PERSON_ID = (ID_TYPE_COLUMN, Column("身份证号", "id_number", ID_NUMBER, True))

F1 = Form(
    code="F1",
    name="申报人员花名册",
    table="application_roster",
    natural_key=("application_no",),
    person_field="id_number",
    columns=(
        Column("序号", "seq_no", INT),
        Column("网上申报编号", "application_no", APP_NO, True, note="网上申报系统生成的编号"),
        Column("姓名", "name", TEXT, True),
        Column("性别", "gender", ENUM, True, GENDERS),
        ID_TYPE_COLUMN,
        Column("身份证号", "id_number", ID_NUMBER, True, note="请设置为文本格式，18位"),
        Column("出生日期", "birth_date", DATE),
        Column("工作单位", "unit_name", UNIT_NAME, True),
        Column("单位性质", "unit_nature", ENUM, True, UNIT_NATURES),
        Column("单位隶属", "unit_affiliation", ENUM, False, UNIT_AFFILIATIONS, default="本市"),
        Column("委托函", "has_entrust_letter", BOOL, False, default=False),
        Column("人员身份", "personnel_status", ENUM, True, PERSONNEL_STATUSES),
        Column("调入时间", "transfer_in_date", DATE),
        Column("工作地层级", "workplace_level", ENUM, True, WORKPLACE_LEVELS),
        Column("最高学历", "education", ENUM, True, EDUCATIONS),
        Column("学历性质", "education_mode", ENUM, False, EDUCATION_MODES, default="全日制"),
        Column("毕业时间", "graduation_date", DATE, True),
        Column("所学专业", "major", TEXT),
        Column("现职称", "current_title", TEXT),
        Column("现职称级别", "current_level", ENUM, True, CURRENT_LEVELS),
        Column("现职称取得时间", "current_title_date", DATE, note="现职称级别不是“无”时必填"),
        Column("现职称聘任时间", "current_title_appointed_date", DATE),
        Column("专业技术工作年限", "professional_years", NUMBER, True),
        Column("现岗位工作年限", "current_post_years", NUMBER),
        Column("基层服务年限", "grassroots_years", NUMBER),
        Column("申报系列", "series", ENUM, True, SERIES),
        Column("申报专业", "specialty", TEXT),
        Column("申报级别", "level", ENUM, True, LEVELS),
        Column("申报方式", "route", ENUM, True, ROUTES),
        Column("破格依据", "exception_basis", TEXT, note="如 四(四)1、四(五)2"),
        Column("曾享受破格政策", "had_exception_before", BOOL, False, default=False),
        Column("考试成绩合格", "exam_passed", ENUM, False, EXAM_RESULTS, default="不适用"),
        Column("超岗申报", "over_post", BOOL, False, default=False),
        Column("评委会代码", "committee_code", CODE, True),
        Column("申报日期", "application_date", EVENT_DATE, True),
        Column("单位公示开始日期", "unit_publicity_start", EVENT_DATE),
        Column("单位公示结束日期", "unit_publicity_end", EVENT_DATE),
        Column("诚信承诺书", "integrity_pledge", BOOL, False, default=False),
    ),
)

F2 = Form(
    code="F2",
    name="岗位情况表",
    table="post_structure",
    natural_key=("unit_name_normalised",),
    columns=(
        Column("单位名称", "unit_name", UNIT_NAME, True),
        Column("已设高级岗位数", "senior_posts_set", INT, True),
        Column("已聘高级岗位数", "senior_posts_filled", INT, True),
        Column("高级空岗数", "senior_posts_vacant", INT, True),
        Column("本年推荐高级申报数", "senior_recommended", INT),
    ),
)

F3 = Form(
    code="F3",
    name="定向评价岗位表",
    table="directed_posts",
    natural_key=("field",),
    columns=(
        Column("专业领域", "field", ENUM, True, DIRECTED_FIELDS),
        Column("定向评价岗位数", "directed_posts", INT, True),
        Column("空岗数", "vacant_posts", INT, True),
        Column("拟推荐申报数", "planned_applications", INT, True),
        Column("报送日期", "submitted_date", EVENT_DATE, True),
    ),
)

F4 = Form(
    code="F4",
    name="工作事项记录",
    table="work_events",
    natural_key=("event_type", "committee_code", "start_date", "submitted_date"),
    columns=(
        Column("事项类型", "event_type", ENUM, True, EVENT_TYPES),
        Column("评委会代码", "committee_code", CODE, note="评审实施方案备案、评审结果公示、核准备案报告、延期申请必填"),
        Column("开始日期", "start_date", EVENT_DATE, note="公示类事项必填"),
        Column("结束日期", "end_date", EVENT_DATE, note="公示类事项必填"),
        Column("报送日期", "submitted_date", EVENT_DATE, note="非公示类事项必填"),
        Column("计划评审日期", "planned_evaluation_date", EVENT_DATE),
        Column("签字盖章", "signed_sealed", BOOL, False, default=False),
        Column("文号或链接", "reference", TEXT),
        Column("异议数", "objections", INT, False, default=0),
        Column("备注", "remark", TEXT),
    ),
)

F5 = Form(
    code="F5",
    name="评审结果",
    table="evaluation_outcomes",
    natural_key=("committee_code", "application_no"),
    person_field="id_number",
    columns=(
        Column("评委会代码", "committee_code", CODE, note="非评委会报送时必填"),
        Column("网上申报编号", "application_no", APP_NO, True),
        Column("姓名", "name", TEXT),
        *PERSON_ID,
        Column("申报系列", "series", ENUM, True, SERIES),
        Column("申报级别", "level", ENUM, True, LEVELS),
        Column("评审分组", "group_name", TEXT, True, REVIEW_GROUPS, note="如 普通组、基层组、非公组"),
        Column("评审日期", "evaluation_date", EVENT_DATE, True),
        Column("应到评委数", "members_expected", INT, True, min_value=1),
        Column("实到评委数", "members_present", INT, True),
        Column("赞成票数", "votes_for", INT, True),
        Column("评审结果", "outcome", ENUM, True, OUTCOMES),
    ),
)

F6 = Form(
    code="F6",
    name="评委名单",
    table="evaluator_roster",
    natural_key=("committee_code", "roster_year", "evaluator_no"),
    evaluator_field="evaluator_no",
    columns=(
        Column("评委会代码", "committee_code", CODE, note="非评委会报送时必填"),
        Column("年度", "roster_year", INT, True),
        Column("评委编号", "evaluator_no", TEXT, True),
        Column("姓名", "name", TEXT, True),
        Column("工作单位", "unit_name", TEXT),
        Column("是否本单位", "is_own_unit", BOOL),  # no default: blank = unknown
        Column("专业", "specialty", TEXT),
    ),
)

F7 = Form(
    code="F7",
    name="失信记录",
    table="integrity_blacklist",
    natural_key=("id_number", "record_date"),
    person_field="id_number",
    columns=(
        *PERSON_ID,
        Column("姓名", "name", TEXT),
        Column("记录日期", "record_date", DATE, True),
        Column("事由", "reason", TEXT),
    ),
)

FORMS: dict[str, Form] = {f.code: f for f in (F1, F2, F3, F4, F5, F6, F7)}

# Header cells as people type them (contract §1): other names a column goes by.
ALTERNATIVE_NAMES: dict[str, tuple[str, ...]] = {
    "网上申报编号": ("申报编号", "网上申报号", "人才库申报编号"),
    "身份证号": ("身份证号码", "公民身份号码", "证件号码"),
    "证件类型": ("证件种类",),
    "工作单位": ("工作单位名称", "所在单位"),
    "申报系列": ("申报职称系列",),
    "申报级别": ("申报职称级别", "申报层级"),
    "专业技术工作年限": ("从事专业技术工作年限",),
    "评委会代码": ("评审委员会代码", "评委会编码"),
    "应到评委数": ("应到人数",),
    "实到评委数": ("实到人数",),
    "赞成票数": ("同意票数", "赞成票"),
    "评审结果": ("评审结论",),
}
_CANONICAL = {alt: name for name, alts in ALTERNATIVE_NAMES.items() for alt in alts}
_HEADER_SPACE = re.compile(r"\s+")  # after NFKC: U+3000 and no-break spaces are spaces; line breaks too
# a trailing template mark or note: 身份证号*, 申报日期（年月日）, 评委会代码(必填), 网上申报编号【人才库】
_HEADER_TAIL = re.compile(r"(?:\*+|\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕)$")


def header_key(cell: object) -> str:
    """A header cell as the reader compares it: NFKC, no white space anywhere, no leading or trailing
    ``*``, no trailing note in brackets (repeatedly: ``身份证号(必填)*``); an alternative name becomes
    the column's name."""
    if cell is None:
        return ""
    text = _HEADER_SPACE.sub("", unicodedata.normalize("NFKC", str(cell))).replace("\u200b", "").replace("\ufeff", "")
    text = text.lstrip("*")
    while True:
        stripped = _HEADER_TAIL.sub("", text)
        if stripped == text or not stripped:
            break
        text = stripped
    return _CANONICAL.get(text, text)


UNRECOGNISED = "未识别"

# Who may send which form (contract section 1).  F5 and F6 are also accepted from
# any known submitter when the rows carry 评委会代码.
ALLOWED_FORMS: dict[str, frozenset[str]] = {
    "region": frozenset({"F1", "F2", "F3", "F4"}),
    "department": frozenset({"F1", "F2", "F4"}),
    "unit": frozenset({"F1", "F2", "F4"}),
    "committee": frozenset({"F4", "F5", "F6"}),
    "bureau": frozenset({"F4", "F7"}),
}
FORMS_WITH_COMMITTEE_CODE = frozenset({"F5", "F6"})
BUREAU_CODE = "B-RSJ"

# Lineage columns on every raw form table.
LINEAGE_COLUMNS = (
    "_source_file",
    "_source_sheet",
    "_source_row",
    "_file_sha256",
    "_loaded_at",
    "_superseded",
)
