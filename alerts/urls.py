from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.signup, name="signup"),
    path("me/", views.toggle, name="toggle"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
