from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "payroll"
    verbose_name = "业绩与薪酬"
