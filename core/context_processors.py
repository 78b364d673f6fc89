from django.conf import settings


def platform(request):
    """Values every page needs: the site's name and whether this is the demo."""
    return {
        "PLATFORM_NAME": "Panjere",
        "IS_DEMO": settings.PANJERE_DEMO and settings.PANJERE_DEMO_DATA_ALLOWED,
    }
