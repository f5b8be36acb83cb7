app_name = "archives"

# Pages of this chapter are added by its issue; the prefix /archives/ is mounted.
urlpatterns: list = []
