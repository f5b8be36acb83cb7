app_name = "approvals"

# Pages of this chapter are added by its issue; the prefix /approvals/ is mounted.
urlpatterns: list = []
