from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import views
from staff import views as staff_views
from staff.forms import LoginForm

handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

urlpatterns = [
    path("", views.home, name="home"),
    path("home/<slug:code>/", views.home_block, name="home_block"),
    path("search/", views.search, name="search"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        staff_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("files/<int:pk>/", views.download, name="download"),
    path("admin/", admin.site.urls),
    path("staff/", include("staff.urls")),
    path("clients/", include("clients.urls")),
    path("approvals/", include("approvals.urls")),
    path("teams/", include("teams.urls")),
    path("attendance/", include("attendance.urls")),
    path("meetings/", include("meetings.urls")),
    path("assets/", include("assets.urls")),
    path("payroll/", include("payroll.urls")),
    path("archives/", include("archives.urls")),
    path("visits/", include("visits.urls")),
]
