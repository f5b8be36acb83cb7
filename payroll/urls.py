from django.urls import path

from payroll.views import assessments, crm, inputs, reviews, runs, sheets, standards

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
    path("runs/<int:run_pk>/submit/", sheets.sheet_submit, name="sheet_submit"),
    path("sheets/", sheets.sheet_list, name="sheet_list"),
    path("sheets/<int:pk>/", sheets.sheet_detail, name="sheet_detail"),
    path("sheets/<int:pk>/export.xlsx", sheets.sheet_xlsx, name="sheet_xlsx"),
    path("sheets/<int:pk>/export.pdf", sheets.sheet_pdf, name="sheet_pdf"),
    path("sheets/<int:pk>/bank.xlsx", sheets.sheet_bank, name="sheet_bank"),
    path("sheets/<int:pk>/tax.xlsx", sheets.sheet_tax, name="sheet_tax"),
    path("payslips/<int:pk>/pdf/", sheets.payslip_pdf, name="payslip_pdf"),
    path("reviews/", reviews.review_list, name="review_list"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review_detail"),
    path("reviews/<int:pk>/items/<int:item_pk>/", reviews.review_decide, name="review_decide"),
    path("reviews/<int:pk>/confirm/", reviews.review_confirm, name="review_confirm"),
]
