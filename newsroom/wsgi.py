import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

from newsroom.secret import secret_key_required  # noqa: E402 - needs the settings set up

secret_key_required()
