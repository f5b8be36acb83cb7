app_name = "assets"

# Pages of this chapter are added by its issue; the prefix /assets/ is mounted.
urlpatterns: list = []
