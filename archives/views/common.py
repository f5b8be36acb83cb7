from django.core.exceptions import ValidationError
from django.utils import timezone


def messages_of(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def today():
    return timezone.localdate()
