from django.urls import path

from . import api

# Under /api/v1/tenders/: the bids of a tender's lot, the tender named by its OCID.
tender_urlpatterns = [
    path("<str:ocid>/lots/<int:number>/bids/", api.LotBidsApi.as_view(), name="bids-api-lot"),
]

# Under /api/v1/bids/.
urlpatterns = [
    path("", api.MyBidsApi.as_view(), name="bids-api-mine"),
    path("receipts/verify/", api.ReceiptVerifyApi.as_view(), name="bids-api-receipt-verify"),
    path("<int:pk>/", api.BidDetailApi.as_view(), name="bids-api-detail"),
    path("<int:pk>/receipt/", api.BidReceiptApi.as_view(), name="bids-api-receipt"),
    path("<int:pk>/withdraw/", api.BidWithdrawApi.as_view(), name="bids-api-withdraw"),
    path("<int:pk>/confirm/", api.BidConfirmApi.as_view(), name="bids-api-confirm"),
]
