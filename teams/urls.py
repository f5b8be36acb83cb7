from django.urls import path

from teams import views

app_name = "teams"

urlpatterns = [
    path("rules/", views.rules_list, name="rules_list"),
    path("rules/new/", views.rules_create, name="rules_create"),
    path("rules/<int:pk>/", views.rules_detail, name="rules_detail"),
    path("rules/<int:pk>/edit/", views.rules_edit, name="rules_edit"),
    path("rules/<int:pk>/attach/", views.rules_attach, name="rules_attach"),
    path("rules/<int:pk>/submit/", views.rules_submit, name="rules_submit"),
]
