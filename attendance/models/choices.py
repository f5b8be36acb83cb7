"""Choices shared by several attendance models."""

from django.db import models


class LeaveKind(models.TextChoices):
    PERSONAL = "personal", "事假"
    SICK = "sick", "病假"
    ANNUAL = "annual", "年假"
    MARRIAGE = "marriage", "婚假"
    MATERNITY = "maternity", "产假"
    BEREAVEMENT = "bereavement", "丧假"
    COMPENSATORY = "compensatory", "调休"


class Half(models.TextChoices):
    AM = "am", "上午"
    PM = "pm", "下午"
