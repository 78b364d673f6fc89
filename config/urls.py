from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from bidding.api_urls import tender_urlpatterns as bidding_tender_urls
from core.api_docs import ApiDocsView

urlpatterns = [
    path("", include("home.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("notifications/", include("notifications.urls")),
    path("suppliers/review/", include("suppliers.review_urls")),
    path("suppliers/", include("suppliers.urls")),
    path("debarments/", include("suppliers.public_urls")),
    path("tenders/", include("tenders.urls")),
    path("bids/", include("bidding.urls")),
    path("buyer/tenders/", include("tenders.buyer_urls")),
    path("admin/", admin.site.urls),
    # REST API
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/accounts/", include("accounts.api_urls")),
    path("api/v1/audit/", include("audit.api_urls")),
    path("api/v1/notifications/", include("notifications.api_urls")),
    path("api/v1/suppliers/", include("suppliers.api_urls")),
    path("api/v1/supplier-review/", include("suppliers.review_api_urls")),
    path("api/v1/debarments/", include("suppliers.public_api_urls")),
    path("api/v1/tenders/", include(bidding_tender_urls)),
    path("api/v1/tenders/", include("tenders.api_urls")),
    path("api/v1/bids/", include("bidding.api_urls")),
    path("api/v1/ocds/", include("tenders.ocds_urls")),
]

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
