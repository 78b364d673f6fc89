"""The project's URLs and the benchmark's baseline: a bare view doing one indexed query."""

import hashlib
import uuid

from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns
from tenders.models import Tender

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bare(request, pk):
    title = Tender.objects.filter(pk=pk).values_list("title", flat=True).first()
    return HttpResponse(f"{len(title or '')}\n", content_type="text/plain")


@csrf_exempt
def bare_upload(request):
    """The deadline rush's baseline: stream each part to the envelope storage, insert one row."""
    from bidding.storage import envelope_storage

    request.upload_handlers = [TemporaryFileUploadHandler(request)]
    stored = []
    for name, upload in request.FILES.items():
        digest, size = hashlib.sha256(), 0
        for block in upload.chunks(64 * 1024):
            digest.update(block)
            size += len(block)
        upload.seek(0)
        key = envelope_storage.save(f"bare/{uuid.uuid4().hex}.pje", upload)
        stored.append({"kind": name, "sha256": digest.hexdigest(), "size": size, "name": key})
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_bare_upload (stored_at, names) VALUES (clock_timestamp(), %s) "
            "RETURNING id",
            [" ".join(entry["name"] for entry in stored)],
        )
        row = cursor.fetchone()[0]
    return JsonResponse({"id": row, "envelopes": stored}, status=201)


urlpatterns = [
    path("bench/bare/<int:pk>/", bare, name="bench-bare"),
    path("bench/bare-upload/", bare_upload, name="bench-bare-upload"),
    *project_urlpatterns,
]
