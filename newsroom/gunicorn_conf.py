"""Gunicorn's own settings: `gunicorn -c python:newsroom.gunicorn_conf newsroom.wsgi`.

Its log lines, the master's included, take the application's LOGGING, so that with
LOG_FORMAT=json every line a container prints is one JSON object.
"""

from newsroom.settings import LOGGING

logconfig_dict = LOGGING
# Gunicorn's control socket lives in the home folder, which the app user cannot write to in
# the image; nothing here uses it.
control_socket_disable = True
