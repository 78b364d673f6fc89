from django.urls import path

from . import views

app_name = "suppliers"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("register/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/company/", views.step_company, name="step_company"),
    path("<int:pk>/edit/address/", views.step_address, name="step_address"),
    path("<int:pk>/edit/categories/", views.step_categories, name="step_categories"),
    path(
        "<int:pk>/edit/representatives/",
        views.step_representatives,
        name="step_representatives",
    ),
    path("<int:pk>/edit/documents/", views.step_documents, name="step_documents"),
    path("<int:pk>/edit/review/", views.step_review, name="step_review"),
    path(
        "<int:pk>/documents/<int:doc_pk>/download/",
        views.document_download,
        name="document_download",
    ),
]
