app_name = "attendance"

# Pages of this chapter are added by its issue; the prefix /attendance/ is mounted.
urlpatterns: list = []
