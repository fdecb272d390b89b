import os

from django.core.wsgi import get_wsgi_application

# Whatever the environment says: bench/run.py starts this with the site's environment.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.floor.settings"

application = get_wsgi_application()
