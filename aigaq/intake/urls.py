app_name = "intake"

urlpatterns: list = []  # filled by the intake feature
