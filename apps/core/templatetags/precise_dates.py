from django import template

from apps.core.dates import display_date

register = template.Library()


@register.filter
def precise_date(value, precision):
    """``{{ deadline.due_on|precise_date:deadline.date_precision }}`` → "Feb 2026" for a month date."""
    return display_date(value, precision)
