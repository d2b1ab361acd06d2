from django.urls import path

from aigaq.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("relatives/", views.relative_search, name="relative_search"),
    path("board/", views.board, name="board"),
    path("board/columns/", views.board_columns, name="board_columns"),
    path("screen/", views.screen, name="screen"),
    path("screen/rows/", views.screen_rows, name="screen_rows"),
    path("rooms/", views.rooms, name="rooms"),
    path("report/", views.report, name="report"),
    path("visits/<uuid:pk>/", views.visit_detail, name="visit"),
    path("visits/<uuid:pk>/assign/", views.visit_assign, name="visit_assign"),
    path("visits/<uuid:pk>/start/", views.visit_start, name="visit_start"),
    path("visits/<uuid:pk>/finish/", views.visit_finish, name="visit_finish"),
    path("visits/<uuid:pk>/left/", views.visit_left, name="visit_left"),
    path("visits/<uuid:pk>/contact/", views.visit_contact, name="visit_contact"),
]
