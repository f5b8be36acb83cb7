from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("", views.person_list, name="user_list"),
    path("export.xlsx", views.person_export_xlsx, name="user_export_xlsx"),
    path("export.pdf", views.person_export_pdf, name="user_export_pdf"),
    path("org/", views.org_chart, name="org_chart"),
    path("<int:pk>/", views.person_detail, name="user_detail"),
]
