from django.urls import path

from clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="client_list"),
    path("export.xlsx", views.client_export_xlsx, name="client_export_xlsx"),
    path("<int:pk>/", views.client_detail, name="client_detail"),
]
