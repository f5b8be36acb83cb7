from django.urls import path

from teams.views import filings, people, reports, targets, teams, worklogs

app_name = "teams"

urlpatterns = [
    path("", teams.team_list, name="team_list"),
    path("<int:pk>/", teams.team_detail, name="team_detail"),
    path("<int:pk>/duties/", teams.duties, name="duties"),
    path("pairings/<int:pk>/end/", teams.pairing_end, name="pairing_end"),
    path("<int:pk>/targets/<int:year>/", targets.targets, name="targets"),
    path("<int:pk>/progress/<int:year>/", targets.team_progress, name="team_progress"),
    path(
        "people/<int:user_pk>/progress/<int:year>/", targets.person_progress, name="person_progress"
    ),
    path("<int:pk>/people/", people.people, name="people"),
    path("<int:pk>/people/import/", people.roster_upload, name="roster_upload"),
    path("imports/<int:batch_pk>/", people.roster_preview, name="roster_preview"),
    path("roster-template.xlsx", people.roster_template, name="roster_template"),
    path("notes/", people.notes, name="notes"),
    path("filings/", filings.filing_list, name="filing_list"),
    path("filings/export.xlsx", filings.filing_export, name="filing_export"),
    path("filings/new/", filings.filing_create, name="filing_create"),
    path("filings/<int:pk>/", filings.filing_detail, name="filing_detail"),
    path("filings/<int:pk>/edit/", filings.filing_edit, name="filing_edit"),
    path("filings/<int:pk>/attach/", filings.filing_attach, name="filing_attach"),
    path("filings/<int:pk>/submit/", filings.filing_submit, name="filing_submit"),
    path("worklogs/", worklogs.worklog_list, name="worklog_list"),
    path("worklogs/export.xlsx", worklogs.worklog_export, name="worklog_export"),
    path("worklogs/today/", worklogs.worklog_today, name="worklog_today"),
    path("worklogs/<int:pk>/", worklogs.worklog_detail, name="worklog_detail"),
    path("<int:pk>/worklogs/missing/", worklogs.worklog_missing, name="worklog_missing"),
    path("spotchecks/", worklogs.spotcheck_list, name="spotcheck_list"),
    path("spotchecks/export.xlsx", worklogs.spotcheck_export, name="spotcheck_export"),
    path("<int:pk>/spotchecks/new/", worklogs.spotcheck_new, name="spotcheck_new"),
    path("spotchecks/<int:pk>/", worklogs.spotcheck_detail, name="spotcheck_detail"),
    path(
        "spotchecks/<int:pk>/items/<int:item_pk>/",
        worklogs.spotcheck_verdict,
        name="spotcheck_verdict",
    ),
    path("<int:pk>/coverage/", worklogs.coverage, name="coverage"),
    path("reports/", reports.report_list, name="report_list"),
    path("reports/export.xlsx", reports.report_export, name="report_export"),
    path("<int:pk>/reports/new/", reports.report_new, name="report_new"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/pdf/", reports.report_pdf, name="report_pdf"),
]
