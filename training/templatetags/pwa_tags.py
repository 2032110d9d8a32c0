"""The installable app's mark on each page: which account the page was rendered for."""

from django import template

from training.pwa import account_key

register = template.Library()


@register.simple_tag
def app_account(user) -> str:
    """The signed-in account's key for the offline app (empty when signed out); see `account_key`."""
    return account_key(user) if getattr(user, "is_authenticated", False) else ""
