app_name = "teams"

# Pages of this chapter are added by its issue; the prefix /teams/ is mounted.
urlpatterns: list = []
