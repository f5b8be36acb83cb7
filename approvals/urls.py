from django.urls import path

from approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("batch/", views.batch_approve, name="batch_approve"),
    path("submitted/", views.request_list, {"tab": "submitted"}, name="submitted"),
    path("handled/", views.request_list, {"tab": "handled"}, name="handled"),
    path("copied/", views.request_list, {"tab": "copied"}, name="copied"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/countersign.pdf", views.countersign_pdf, name="countersign_pdf"),
    path("notices/", views.notices, name="notices"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("notices/<int:pk>/", views.notice_open, name="notice_open"),
    path("deputies/", views.deputies, name="deputies"),
    path("deputies/<int:pk>/end/", views.deputy_end, name="deputy_end"),
]
