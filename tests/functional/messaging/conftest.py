"""The recording phone gateway, for the tests of messages to visitors' phones."""

from tests.phone_gateway import phone_gateway

__all__ = ["phone_gateway"]
