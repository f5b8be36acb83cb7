app_name = "payroll"

# Pages of this chapter are added by its issue; the prefix /payroll/ is mounted.
urlpatterns: list = []
