"""The Celery application: configured from Django settings under the CELERY_ namespace."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import beat_init, worker_init
from django.core.exceptions import ImproperlyConfigured

from newsroom.secret import secret_key_required

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _secret_key_required(**kwargs):
    """Alert emails carry signed links: no worker or beat without the key. Celery logs and
    ignores what a signal's receiver raises, but for SystemExit."""
    try:
        secret_key_required()
    except ImproperlyConfigured as error:
        raise SystemExit(str(error)) from error


@app.on_after_configure.connect
def _create_broker_folders(sender, **kwargs):
    """The filesystem broker of the embedded set-up expects its folders to exist."""
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        folder = sender.conf.broker_transport_options.get(key)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
