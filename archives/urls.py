from django.urls import path

from archives.views import contracts, files, monthly, slips

app_name = "archives"

urlpatterns = [
    # 人员档案
    path("", files.file_list, name="file_list"),
    path("export.xlsx", files.file_export_xlsx, name="file_export_xlsx"),
    path("completeness/", files.completeness, name="completeness"),
    path("people/<int:pk>/", files.file_detail, name="file_detail"),
    path("people/<int:pk>/upload/", files.document_upload, name="document_upload"),
    path(
        "people/<int:pk>/documents/<int:doc>/verify/", files.document_verify, name="document_verify"
    ),
    path("people/<int:pk>/paper/", files.paper_location, name="paper_location"),
    path("people/<int:pk>/activate/", files.activate, name="activate"),
    path("people/<int:pk>/rewards/new/", files.reward_new, name="reward_new"),
    path("rewards/<int:pk>/edit/", files.reward_edit, name="reward_edit"),
    path("rewards/<int:pk>/revoke/", files.reward_revoke, name="reward_revoke"),
    # 合同与协议
    path("contracts/", contracts.contract_list, name="contract_list"),
    path("contracts/export.xlsx", contracts.contract_export_xlsx, name="contract_export_xlsx"),
    path("people/<int:pk>/contracts/new/", contracts.contract_new, name="contract_new"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/renew/", contracts.contract_renew, name="contract_renew"),
    path("contracts/<int:pk>/terminate/", contracts.contract_terminate, name="contract_terminate"),
    path("contracts/<int:pk>/keeping/", contracts.contract_keeping, name="contract_keeping"),
    path("expiry/", contracts.expiry, name="expiry"),
    path("expiry/export.xlsx", contracts.expiry_export_xlsx, name="expiry_export_xlsx"),
    # 客户确认单
    path("slips/", slips.slip_list, name="slip_list"),
    path("slips/export.xlsx", slips.slip_export_xlsx, name="slip_export_xlsx"),
    path("slips/new/", slips.slip_new, name="slip_new"),
    path("slips/report/", slips.slip_report, name="slip_report"),
    path("slips/report.xlsx", slips.slip_report_xlsx, name="slip_report_xlsx"),
    path("slips/<int:pk>/", slips.slip_detail, name="slip_detail"),
    path("slips/<int:pk>/void/", slips.slip_void, name="slip_void"),
    path("slips/<int:pk>/pdf/", slips.slip_pdf, name="slip_pdf"),
    # 月度归档
    path("months/", monthly.month_list, name="month_list"),
    path("months/<int:branch>/<str:month>/close/", monthly.month_close, name="month_close"),
    path("months/archive/<int:pk>/", monthly.archive_detail, name="archive_detail"),
    path("months/archive/<int:pk>/clients/", monthly.archive_clients, name="archive_clients"),
    path("months/archive/<int:pk>/location/", monthly.archive_location, name="archive_location"),
    path("months/archive/<int:pk>/bundle/", monthly.archive_bundle, name="archive_bundle"),
    path("search/", monthly.search, name="search"),
]
