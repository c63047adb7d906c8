"""Gunicorn's own settings: `gunicorn -c python:newsroom.gunicorn_conf newsroom.wsgi`.

A worker sets what it has loaded aside from the garbage collector once it has served its
first requests (post_request). Log lines, the master's included, take the application's
LOGGING, so that with LOG_FORMAT=json every line a container prints is one JSON object; an
access line names the client as the application sees it (newsroom/client.py), not the proxy
in front.
"""

import gc

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
# By then the worker has imported the URLconf and views and compiled the common templates.
FREEZE_AFTER_REQUESTS = 100


def post_request(worker, req, environ, resp):
    """A full collection walks every object the worker holds, the framework's code and the
    site's included: 50 to 110 ms here, stalling the request it lands in (a section page of
    15 ms took 50 to 75 about once in a hundred views). Once the first requests have loaded
    what a worker keeps, one collection, after that response has gone, clears their garbage
    and gc.freeze() takes the rest out of later collections (then 1 to 25 ms)."""
    if worker.nr == FREEZE_AFTER_REQUESTS:
        gc.collect()
        gc.freeze()
