from django.urls import path

from meetings.views import actions, compliance, meetings

app_name = "meetings"

urlpatterns = [
    path("", meetings.meeting_list, name="meeting_list"),
    path("export.xlsx", meetings.meeting_export, name="meeting_export"),
    path("new/morning/", meetings.meeting_new, {"kind": "morning"}, name="morning_new"),
    path("new/weekly/", meetings.meeting_new, {"kind": "weekly"}, name="weekly_new"),
    path("new/monthly/", meetings.meeting_new, {"kind": "monthly"}, name="monthly_new"),
    path("new/<str:kind>/", meetings.meeting_new, name="meeting_new"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("<int:pk>/pdf/", meetings.meeting_pdf, name="meeting_pdf"),
    path("actions/", actions.action_list, name="action_list"),
    path("actions/export.xlsx", actions.action_export, name="action_export"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/status/", actions.action_status, name="action_status"),
    path("competitors/", actions.competitor_list, name="competitor_list"),
    path("competitors/export.xlsx", actions.competitor_export, name="competitor_export"),
    path("compliance/", compliance.overview, name="compliance"),
    path("compliance/export.xlsx", compliance.overview_export, name="compliance_export"),
    path("compliance/<int:pk>/", compliance.team_calendar, name="team_calendar"),
]
