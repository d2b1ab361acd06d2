app_name = "search"

urlpatterns: list = []  # filled by the search feature
