from django import template
from django.utils import timezone

from apps.deadlines.models import Deadline, overdue_condition

register = template.Library()


@register.simple_tag
def overdue_deadlines(limit: int = 20):
    """For the admin index: the deadlines whose status an editor should update, soonest first."""
    return list(Deadline.objects.filter(overdue_condition(timezone.localdate())).order_by("due_on", "id")[:limit])
