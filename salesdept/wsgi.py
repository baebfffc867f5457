"""The production entry point (gunicorn salesdept.wsgi): production settings unless
DJANGO_SETTINGS_MODULE names others."""

import os

from django.core.wsgi import get_wsgi_application

from salesdept import celery

if celery.SETTINGS_DEFAULTED:
    # Importing the package set the laptop default; this entry point's default is production.
    os.environ["DJANGO_SETTINGS_MODULE"] = "salesdept.settings.production"

application = get_wsgi_application()
