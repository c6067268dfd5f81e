"""E-mails from templates, written in the recipient's language: the one sender every app uses."""

from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.utils import translation

from college.core.text import header_safe, xml_safe


def send_templated_email(*, to, language, template, context, attachment=None, reply_to=None):
    """Sends `emails/<template>.txt` (subject: `<template>_subject.txt`) rendered in `language`.

    `attachment`, when given, is `(filename, content, mimetype)`; `reply_to` an address
    the answer goes to instead of the no-reply sender."""
    with translation.override(language):
        # A title with a line break would be a header injection (Django refuses to send it).
        subject = header_safe(render_to_string(f"emails/{template}_subject.txt", context))
        body = xml_safe(render_to_string(f"emails/{template}.txt", context))
    if attachment is None and reply_to is None:
        send_mail(subject, body, None, [to])
        return
    message = EmailMessage(subject, body, None, [to], reply_to=[reply_to] if reply_to else None)
    if attachment is not None:
        message.attach(*attachment)
    message.send()
