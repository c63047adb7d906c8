"""Gunicorn's own settings: `gunicorn -c python:newsroom.gunicorn_conf newsroom.wsgi`.

Its log lines, the master's included, take the application's LOGGING, so that with
LOG_FORMAT=json every line a container prints is one JSON object; an access line names the
client as the application sees it (newsroom/client.py), not the proxy in front.
"""

from gunicorn.glogging import Logger

from newsroom.client import forwarded_client
from newsroom.settings import FORWARDED_ALLOW_IPS, LOGGING, TRUSTED_PROXY_COUNT


class ClientAddressLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = forwarded_client(
            environ, trusted=TRUSTED_PROXY_COUNT, proxies=FORWARDED_ALLOW_IPS
        )
        return atoms


logconfig_dict = LOGGING
logger_class = ClientAddressLogger
# Gunicorn's control socket lives in the home folder, which the app user cannot write to in
# the image; nothing here uses it.
control_socket_disable = True
