"""The buyer's tender pages, mounted at /buyer/tenders/."""

from django.urls import path

from .buyer_views import detail, invitations, outages, wizard

app_name = "tender_admin"

urlpatterns = [
    path("", wizard.tender_list, name="list"),
    path("new/", wizard.tender_new, name="new"),
    path("outages/", outages.outages, name="outages"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/basics/", wizard.step_basics, name="step_basics"),
    path("<int:pk>/lots/", wizard.step_lots, name="step_lots"),
    path("<int:pk>/lots/<int:lot_pk>/", wizard.lot_edit, name="lot_edit"),
    path("<int:pk>/lots/<int:lot_pk>/remove/", wizard.lot_remove, name="lot_remove"),
    path("<int:pk>/lots/<int:lot_pk>/items/", wizard.item_add, name="item_add"),
    path("<int:pk>/items/<int:item_pk>/", wizard.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_pk>/remove/", wizard.item_remove, name="item_remove"),
    path("<int:pk>/requirements/", wizard.step_requirements, name="step_requirements"),
    path("<int:pk>/timeline/", wizard.step_timeline, name="step_timeline"),
    path("<int:pk>/evaluation/", wizard.step_evaluation, name="step_evaluation"),
    path("<int:pk>/committees/", wizard.step_committees, name="step_committees"),
    path("<int:pk>/documents/", wizard.step_documents, name="step_documents"),
    path(
        "<int:pk>/documents/<int:doc_pk>/download/",
        detail.document_download,
        name="document_download",
    ),
    path("<int:pk>/invitations/", invitations.invitations, name="invitations"),
    path("<int:pk>/invitations/remove/", invitations.invitation_remove, name="invitation_remove"),
    path("<int:pk>/submit/", detail.submit, name="submit"),
    path("<int:pk>/approve/", detail.approve, name="approve"),
    path("<int:pk>/return/", detail.return_to_draft, name="return"),
    path("<int:pk>/cancel/", detail.cancel, name="cancel"),
    path("<int:pk>/unsuccessful/", detail.declare_unsuccessful, name="unsuccessful"),
    path("<int:pk>/amend/", detail.amend, name="amend"),
    path(
        "<int:pk>/clarifications/<int:clarification_pk>/answer/",
        detail.answer,
        name="answer",
    ),
]
