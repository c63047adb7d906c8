"""The alerts' part in the article workflow: an alert at go-live, none after a pull."""

import logging

from django.core.exceptions import ValidationError
from django.dispatch import receiver

from alerts import services
from articles.models import Article
from articles.signals import article_unpublished, article_went_live

logger = logging.getLogger(__name__)


@receiver(article_went_live, dispatch_uid="alerts-went-live")
def alert_at_go_live(sender, article_id: int, **kwargs) -> None:
    """A story marked to be alerted at go-live is, once, with nobody as the sender."""
    article = Article.objects.filter(pk=article_id, alert_at_go_live=True).first()
    if article is None:
        return
    try:
        services.alert_create(article=article, by=None)
    except ValidationError as error:
        logger.warning("No alert at go-live for article %s: %s", article_id, error.messages[0])


@receiver(article_unpublished, dispatch_uid="alerts-unpublished")
def alert_withdraw_on_pull(sender, article_id: int, **kwargs) -> None:
    services.alert_withdraw(article_id=article_id)
