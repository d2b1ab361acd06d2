app_name = "transfer"

urlpatterns: list = []  # filled by the transfer feature
