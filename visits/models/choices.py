from django.db import models


class VisitMode(models.TextChoices):
    ONSITE = "onsite", "上门"
    PHONE = "phone", "电话"
    ONLINE = "online", "线上"


class FollowUpStatus(models.TextChoices):
    """谁走访谁督办 (R-7.3): open → forwarded → being handled → resolved →
    client informed → closed. The moves allowed are in ``visits.rules``."""

    OPEN = "open", "待处理"
    FORWARDED = "forwarded", "已转办"
    HANDLING = "handling", "处理中"
    RESOLVED = "resolved", "已解决"
    INFORMED = "informed", "已告知客户"
    CLOSED = "closed", "已办结"


class FollowUpCategory(models.TextChoices):
    ACCOUNT = "account", "账户业务"
    TRADING = "trading", "交易系统与软件"
    PRODUCT = "product", "理财产品咨询"
    MARGIN = "margin", "融资融券"
    FEES = "fees", "佣金与费用"
    COMPLAINT = "complaint", "投诉与意见"
    SERVICE = "service", "服务需求"
    OTHER = "other", "其他"


class HandlingDept(models.TextChoices):
    """Where a problem that the visitor cannot answer is forwarded."""

    OPERATIONS = "operations", "营业部运营（柜台）"
    IT = "it", "信息技术"
    COMPLIANCE = "compliance", "合规风控"
    PRODUCTS = "products", "产品与财富管理"
    ADVISORY = "advisory", "投资顾问"
    MARGIN = "margin", "融资融券部"
    FINANCE = "finance", "财务"
    HQ = "hq", "总部相关部门"
    OTHER = "other", "其他"


class InformedHow(models.TextChoices):
    PHONE = "phone", "电话"
    MEETING = "meeting", "当面"
    SMS = "sms", "短信"
    WECHAT = "wechat", "微信"
    EMAIL = "email", "邮件"
    LETTER = "letter", "书面函件"
