from django import template

register = template.Library()


@register.simple_tag
def overdue_deadlines():
    """The deadlines whose status an editor should update (see ``apps.deadlines.admin``)."""
    from apps.deadlines.admin import overdue_deadlines as find

    return find()
