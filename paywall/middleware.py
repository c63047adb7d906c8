"""Puts the paywall on each request (`request.paywall`) and sends the reader's cookie."""

from paywall.access import ReaderAccess
from paywall.meters import meter_load


class PaywallMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.meter = meter_load()

    def __call__(self, request):
        request.paywall = ReaderAccess(request, self.meter)
        response = self.get_response(request)
        request.paywall.save(response)
        return response
