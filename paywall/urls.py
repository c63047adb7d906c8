from django.urls import path

from paywall import views

app_name = "paywall"

urlpatterns = [
    path("", views.donate, name="donate"),
    path("go/", views.donate_go, name="donate_go"),
    path("thanks/", views.donate_return, name="donate_return"),
    path("dismiss/", views.appeal_dismiss, name="appeal_dismiss"),
]
