app_name = "visits"

# Pages of this chapter are added by its issue; the prefix /visits/ is mounted.
urlpatterns: list = []
