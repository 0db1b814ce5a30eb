from django.apps import AppConfig


class TimelinesConfig(AppConfig):
    name = "apps.timelines"
    label = "timelines"
    verbose_name = "Timelines"
