from django.contrib.auth import views as auth_views
from django.urls import path

from aigaq.staff import views

app_name = "staff"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("", views.dashboard, name="dashboard"),
]
