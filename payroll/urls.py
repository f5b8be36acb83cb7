from django.urls import path

from payroll.views import assessments, crm, inputs, runs, standards

app_name = "payroll"

urlpatterns = [
    path("", runs.home, name="home"),
    path("compute/", runs.compute, name="compute"),
    path("runs/", runs.run_list, name="run_list"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
    path("payslips/<int:pk>/", runs.payslip_detail, name="payslip_detail"),
    path("payslips/<int:pk>/crm/", runs.payslip_crm, name="payslip_crm"),
    path("my/", runs.my_payslips, name="my_payslips"),
    path("crm/", crm.crm_list, name="crm_list"),
    path("crm/template.xlsx", crm.crm_template, name="crm_template"),
    path("crm/upload/", crm.crm_upload, name="crm_upload"),
    path("crm/batches/<int:batch_pk>/", crm.crm_preview, name="crm_preview"),
    path("crm/<int:pk>/", crm.crm_detail, name="crm_detail"),
    path("crm/<int:pk>/review/", crm.crm_review, name="crm_review"),
    path("standards/", standards.standard_list, name="standard_list"),
    path("standards/new/", standards.standard_new, name="standard_new"),
    path("standards/<int:pk>/", standards.standard_detail, name="standard_detail"),
    path("standards/<int:pk>/submit/", standards.standard_submit, name="standard_submit"),
    path("duty/", assessments.duty, name="duty"),
    path("inputs/", inputs.inputs, name="inputs"),
]
