from django.urls import path

from . import views

app_name = "bidding"

urlpatterns = [
    path("", views.bid_list, name="list"),
    path("receipts/verify/", views.receipt_check, name="receipt-check"),
    path("tenders/<str:ocid>/lots/<int:number>/", views.bid_page, name="bid-page"),
    path("<int:pk>/", views.bid_detail, name="detail"),
    path("<int:pk>/receipt.json", views.receipt_json, name="receipt-json"),
    path("<int:pk>/receipt.pdf", views.receipt_pdf_download, name="receipt-pdf"),
    path("<int:pk>/withdraw/", views.bid_withdraw, name="withdraw"),
    path("<int:pk>/confirm/", views.bid_confirm, name="confirm"),
]
