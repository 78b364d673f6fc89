app_name = "tender_admin"
urlpatterns = []
