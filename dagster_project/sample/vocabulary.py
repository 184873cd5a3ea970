"""The sample generator's vocabulary: severities, names, series, specialties, unit templates and the
header cells as submitters type them. Read by the generator and its injections."""

from __future__ import annotations

import datetime as dt
import unicodedata

from dagster_project.sample import writers

D = dt.date
DAY = dt.timedelta(days=1)
TZ = writers.TZ
VIOLATION, ADVISORY = "违规", "提示"
TRUTH_COLUMNS = ("rule_id", "severity", "subject_type", "subject_key")

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣晨瑞博"
    "文雅琳婷巴特尔其木格乌云图雅苏和"
)
LEVEL_UP = {"无": "初级", "初级": "中级", "中级": "副高级", "副高级": "正高级"}
LEVEL_DOWN = {v: k for k, v in LEVEL_UP.items()}
SENIOR = ("副高级", "正高级")
DIRECTED_FIELD = {
    "卫生": "基层卫生",
    "中小学教师": "中小学教师",
    "农牧业": "农牧业",
    "林业": "林业",
    "水利": "水利",
    "艺术": "乌兰牧骑",
}
SPECIALTIES = {
    "中小学教师": ["语文", "数学", "英语", "物理", "化学", "蒙古语文", "体育", "音乐"],
    "卫生": ["临床医学", "内科", "外科", "儿科", "护理", "药学", "医学检验", "全科医学"],
    "农牧业": ["畜牧", "兽医", "农学", "植物保护"],
    "林业": ["森林培育", "林业调查规划"],
    "水利": ["水利水电工程", "水文与水资源"],
    "工程": ["土木工程", "建筑设计", "电气工程", "机械工程", "给排水"],
    "通信": ["通信工程"],
    "经济": ["金融", "人力资源管理", "工商管理"],
    "会计": ["会计"],
    "统计": ["统计"],
    "审计": ["审计"],
    "艺术": ["乌兰牧骑", "声乐", "舞蹈"],
    "群众文化": ["群众文化"],
    "新闻": ["新闻采编"],
    "图书资料": ["图书资料"],
    "高校教师": ["机械制造", "学前教育", "计算机应用", "旅游管理"],
    "出版": ["编辑"],
}
UNIT_TEMPLATES = {
    "中小学教师": [
        ("第一中学", "事业单位"),
        ("第二中学", "事业单位"),
        ("实验小学", "事业单位"),
        ("民族中学", "事业单位"),
    ],
    "卫生": [
        ("人民医院", "事业单位"),
        ("中蒙医院", "事业单位"),
        ("疾病预防控制中心", "事业单位"),
        ("妇幼保健院", "事业单位"),
    ],
    "农牧业": [("农牧业技术推广中心", "事业单位"), ("动物疫病预防控制中心", "事业单位")],
    "林业": [("林业和草原工作站", "事业单位")],
    "水利": [("水利事业发展中心", "事业单位")],
    "工程": [
        ("建筑设计院", "事业单位"),
        ("城市建设投资有限公司", "国有企业"),
        ("恒达建筑工程有限公司", "非公有制企业"),
    ],
    "通信": [("信息网络有限公司", "国有企业")],
    "经济": [("国有资产运营有限公司", "国有企业"), ("融资担保中心", "事业单位")],
    "会计": [("财政事务服务中心", "事业单位"), ("会计服务有限公司", "非公有制企业")],
    "统计": [("统计调查中心", "事业单位")],
    "审计": [("审计服务中心", "事业单位")],
    "艺术": [("乌兰牧骑", "事业单位")],
    "群众文化": [("文化馆", "事业单位")],
    "新闻": [("融媒体中心", "事业单位")],
    "图书资料": [("图书馆", "事业单位")],
}
REGION_SERIES = [
    ("中小学教师", 30),
    ("卫生", 25),
    ("农牧业", 10),
    ("工程", 12),
    ("林业", 3),
    ("水利", 3),
    ("艺术", 3),
    ("群众文化", 2),
    ("图书资料", 2),
    ("新闻", 2),
    ("经济", 3),
    ("会计", 3),
    ("统计", 1),
    ("审计", 1),
]
DEPARTMENT_SERIES = {
    "D-JYJ": ["中小学教师"],
    "D-WJW": ["卫生"],
    "D-NMJ": ["农牧业"],
    "D-LCJ": ["林业"],
    "D-SWJ": ["水利"],
    "D-WLJ": ["艺术", "群众文化", "新闻", "图书资料"],
    "D-GXJ": ["工程", "通信", "经济"],
    "D-ZJJ": ["工程"],
    "D-KJJ": ["工程", "会计", "统计"],
}
UNIT_SERIES = {"U-HHVC": "高校教师", "U-HLSC": "工程", "U-SYY": "卫生"}
EXAM_SENIOR = {"经济": SENIOR, "会计": SENIOR, "审计": ("副高级",), "统计": ("副高级",)}
EXAM_ONLY_MID = ("经济", "会计", "统计", "审计", "翻译", "出版", "通信")

# Header cells as people type them (contract v3 §1): line breaks, spaces, notes in brackets, other names
TYPED_F1_HEADERS = {
    "150125": {
        "application_no": "网上申报\n编号",
        "id_number": "公民身份号码",
        "level": "申报职称级别（必填）",
        "unit_name": "工作单位名称",
        "professional_years": "从事专业技术工作年限\n（年）",
        "committee_code": "评委会 编码",
        "name": "姓\u3000名*",
    },
    "150124": {"id_number": "身份证号码", "series": "申报职称系列", "application_date": "申报日期(年月日)"},
}
TYPED_F5_HEADERS = {
    "members_expected": "应到人数",
    "members_present": "实到人数",
    "votes_for": "赞成票",
    "outcome": "评审结论",
    "application_no": "人才库申报编号",
}


def normalise_unit(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


# The sheets' title lines per form
FORM_TITLES = {
    "F1": "申报专业技术资格人员汇总花名册",
    "F2": "事业单位岗位设置情况表",
    "F3": "定向评价岗位情况表",
    "F4": "职称评审工作事项记录表",
    "F5": "职称评审结果汇总表",
    "F6": "评审委员会评委名单",
    "F7": "失信记录",
}
# (file kind, date style, yes/no style) of the regions' rosters; departments and units: Generator._file_styles
ROSTER_STYLES = {
    "150121": ("xlsx", "date", "yesno"),
    "150122": ("csv-gb18030", "cn", "yesno"),
    "150123": ("xlsx", "mixed", "check"),
    "150124": ("csv-utf-8", "slash", "yn"),
    "150125": ("xlsx", "serial", "yesno"),
    "150102": ("xlsx", "ymd_num", "yesno"),
    "150103": ("xlsx", "dot", "yesno"),
    "150104": ("xlsx", "nopad", "yesno"),
    "150105": ("xlsx", "ymd_text", "yesno"),
    "150172": ("csv-utf-8-sig", "iso", "yesno"),
    "150123401": ("xlsx", "fullwidth", "yesno"),
}
# The 填表说明 sheet some rosters carry
INSTRUCTION_LINES = (
    "填表说明：",
    "1. 每位申报人一行，网上申报编号须与网上申报系统一致。",
    "2. 身份证号请设置为文本格式，避免末位丢失。",
    "3. 日期格式如 2022-07-05。",
)
