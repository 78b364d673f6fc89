"""The public open-data API: OCDS release packages, record packages and the list by date.

No account needed. Each answer is a JSON document of the Open Contracting Data
Standard 1.1 (release-package or record-package schema); tenders/ocds.py builds
them, these views only find the rows and choose the URLs.
"""

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ExactJSONRenderer, PublicReadOnly
from core.validators import validate_plausible_date

from . import ocds
from .models import Release

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500

RELEASE_PACKAGE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_(
        "An OCDS 1.1 release package (https://standard.open-contracting.org/1.1/en/schema/"
        "release_package/)."
    ),
)
RECORD_PACKAGE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_(
        "An OCDS 1.1 record package (https://standard.open-contracting.org/1.1/en/schema/"
        "record_package/): the releases by URL and the compiled release."
    ),
)


def _release_package_url(request, release: Release) -> str:
    return request.build_absolute_uri(reverse("ocds-release", args=[release.release_id]))


class ReleaseDetailApi(APIView):
    authentication_classes = []
    permission_classes = [PublicReadOnly]
    # Amounts are JSON numbers written exactly (core.exactjson), not through a float.
    renderer_classes = [ExactJSONRenderer]

    @extend_schema(
        operation_id="ocds_release_retrieve",
        summary=_("One OCDS release, in a release package"),
        auth=[],
        responses={200: RELEASE_PACKAGE},
    )
    def get(self, request, release_id):
        try:
            release = ocds.release_get(release_id)
        except Release.DoesNotExist:
            raise Http404 from None
        return Response(ocds.release_package([release], uri=_release_package_url(request, release)))


class RecordDetailApi(APIView):
    authentication_classes = []
    permission_classes = [PublicReadOnly]
    # Amounts are JSON numbers written exactly (core.exactjson), not through a float.
    renderer_classes = [ExactJSONRenderer]

    @extend_schema(
        operation_id="ocds_record_retrieve",
        summary=_("The OCDS record of one contracting process, in a record package"),
        auth=[],
        responses={200: RECORD_PACKAGE},
    )
    def get(self, request, ocid):
        releases = ocds.releases_of(ocid)
        if not releases:
            raise Http404
        return Response(
            ocds.record_package(
                releases,
                uri=request.build_absolute_uri(),
                release_url=lambda release: _release_package_url(request, release),
            )
        )


class ReleaseListApi(APIView):
    authentication_classes = []
    permission_classes = [PublicReadOnly]
    # Amounts are JSON numbers written exactly (core.exactjson), not through a float.
    renderer_classes = [ExactJSONRenderer]

    class FilterSerializer(serializers.Serializer):
        since = serializers.DateTimeField(required=False, validators=[validate_plausible_date])
        until = serializers.DateTimeField(required=False, validators=[validate_plausible_date])
        page = serializers.IntegerField(required=False, min_value=1, default=1)
        page_size = serializers.IntegerField(
            required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE
        )

    @extend_schema(
        operation_id="ocds_release_list",
        summary=_("Every OCDS release by date, one release package per page"),
        description=_(
            "Releases oldest first. `since` is inclusive, `until` exclusive (ISO 8601). "
            "The package's `links.next` is the next page's URL, absent on the last page."
        ),
        auth=[],
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATETIME, description=_("At or after.")),
            OpenApiParameter("until", OpenApiTypes.DATETIME, description=_("Before.")),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: RELEASE_PACKAGE},
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        paginator = Paginator(
            ocds.releases_between(since=params.get("since"), until=params.get("until")),
            params["page_size"],
        )
        try:
            page = paginator.page(params["page"])
        except EmptyPage:
            raise Http404 from None
        package = ocds.release_package(list(page), uri=request.build_absolute_uri())
        links = {}
        if page.has_next():
            query = request.query_params.copy()
            query["page"] = page.next_page_number()
            links["next"] = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        if page.has_previous():
            query = request.query_params.copy()
            query["page"] = page.previous_page_number()
            links["prev"] = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        if links:
            package["links"] = links
        return Response(package)
