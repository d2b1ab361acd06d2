app_name = "dedup"

urlpatterns: list = []  # filled by the dedup feature
