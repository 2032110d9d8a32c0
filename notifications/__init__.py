"""Notifications: how the site reaches people. For now, the mail outbox.

Every mail the site sends (ours, Django's password reset, Wagtail's moderation mails) goes through
`notifications.outbox.OutboxBackend`, the `EMAIL_BACKEND`: it writes one `OutboxMessage` row per
message in the caller's transaction and returns at once. The worker (`manage.py worker`) delivers
the rows through `OUTBOX_DELIVERY_BACKEND` (SMTP in production), with a lease, retries with backoff,
and a stop for addresses that bounced (`notifications.delivery`). Staff see what could not be
delivered in the admin and send it again.

Nothing imports this app to send mail: Django's mail API is the interface. It imports `training`
(the worker's loops, the scheduler) and `volunteers`' privacy registry, nothing else.
"""
