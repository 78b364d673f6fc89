"""The buyer's tender pages, mounted at /buyer/tenders/."""

from django.urls import path

from . import buyer_views as views

app_name = "tender_admin"

urlpatterns = [
    path("", views.tender_list, name="list"),
    path("new/", views.tender_new, name="new"),
    path("outages/", views.outages, name="outages"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/basics/", views.step_basics, name="step_basics"),
    path("<int:pk>/lots/", views.step_lots, name="step_lots"),
    path("<int:pk>/lots/<int:lot_pk>/", views.lot_edit, name="lot_edit"),
    path("<int:pk>/lots/<int:lot_pk>/remove/", views.lot_remove, name="lot_remove"),
    path("<int:pk>/lots/<int:lot_pk>/items/", views.item_add, name="item_add"),
    path("<int:pk>/items/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("<int:pk>/requirements/", views.step_requirements, name="step_requirements"),
    path("<int:pk>/timeline/", views.step_timeline, name="step_timeline"),
    path("<int:pk>/evaluation/", views.step_evaluation, name="step_evaluation"),
    path("<int:pk>/committees/", views.step_committees, name="step_committees"),
    path("<int:pk>/documents/", views.step_documents, name="step_documents"),
    path(
        "<int:pk>/documents/<int:doc_pk>/download/",
        views.document_download,
        name="document_download",
    ),
    path("<int:pk>/invitations/", views.invitations, name="invitations"),
    path("<int:pk>/invitations/remove/", views.invitation_remove, name="invitation_remove"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.return_to_draft, name="return"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/unsuccessful/", views.declare_unsuccessful, name="unsuccessful"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path(
        "<int:pk>/clarifications/<int:clarification_pk>/answer/",
        views.answer,
        name="answer",
    ),
]
