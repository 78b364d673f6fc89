# Filled in by the part that owns it.
urlpatterns = []
