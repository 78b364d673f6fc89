"""The project's URLs and the benchmark's baseline: a bare view doing one indexed query."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns
from tenders.models import Tender

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bare(request, pk):
    title = Tender.objects.filter(pk=pk).values_list("title", flat=True).first()
    return HttpResponse(f"{len(title or '')}\n", content_type="text/plain")


urlpatterns = [path("bench/bare/<int:pk>/", bare, name="bench-bare"), *project_urlpatterns]
