"""Certificates and the keys that sign their credentials."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IssuerKey(models.Model):
    """A public key the issuer has signed credentials with, published for as long as they exist.

    Private keys never touch the database: the current one comes from the environment or a key
    file (see certificates.keys). Retired keys stay published so old credentials keep verifying.
    """

    number = models.PositiveIntegerField(_("number"), unique=True)
    public_key_multibase = models.CharField(_("public key (multibase)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")

    def __str__(self):
        return self.key_id

    @property
    def key_id(self) -> str:
        return f"key-{self.number}"
