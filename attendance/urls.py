from django.urls import path

from attendance.views import events, leave, outing, roll

app_name = "attendance"

urlpatterns = [
    path("", roll.home, name="home"),
    path("roll/", roll.roll, name="roll"),
    path("records/<int:pk>/", roll.record_detail, name="record_detail"),
    path("records/<int:pk>/correct/", roll.record_correct, name="record_correct"),
    path("records/<int:pk>/dispute/", roll.dispute_file, name="dispute_file"),
    path("disputes/", roll.dispute_list, name="dispute_list"),
    path("disputes/<int:pk>/resolve/", roll.dispute_resolve, name="dispute_resolve"),
    path("sheet/", roll.sheet, name="sheet"),
    path("sheet/export.xlsx", roll.sheet_export, name="sheet_export"),
    path("records/export.xlsx", roll.records_export, name="records_export"),
    path("people/<int:pk>/", roll.person_calendar, name="person_calendar"),
    path("leave/", leave.leave_list, name="leave_list"),
    path("leave/new/", leave.leave_create, name="leave_create"),
    path("leave/export.xlsx", leave.leave_export, name="leave_export"),
    path("leave/<int:pk>/", leave.leave_detail, name="leave_detail"),
    path("outings/", outing.slip_list, name="slip_list"),
    path("outings/new/", outing.slip_create, name="slip_create"),
    path("outings/export.xlsx", outing.slip_export, name="slip_export"),
    path("outings/<int:pk>/", outing.slip_detail, name="slip_detail"),
    path("outings/<int:pk>/print.pdf", outing.slip_pdf, name="slip_pdf"),
    path("checks/", outing.check_list, name="check_list"),
    path("checks/new/", outing.check_create, name="check_create"),
    path("checks/<int:pk>/", outing.check_detail, name="check_detail"),
    path("checks/item/<int:pk>/", outing.check_result, name="check_result"),
    path("patrols/", events.patrol_list, name="patrol_list"),
    path("patrols/new/", events.patrol_create, name="patrol_create"),
    path("patrols/<int:pk>/", events.patrol_detail, name="patrol_detail"),
    path("events/", events.event_list, name="event_list"),
    path("events/new/", events.event_create, name="event_create"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/<int:pk>/attendance/", events.event_attendance, name="event_attendance"),
]
