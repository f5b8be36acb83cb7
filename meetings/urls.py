app_name = "meetings"

# Pages of this chapter are added by its issue; the prefix /meetings/ is mounted.
urlpatterns: list = []
