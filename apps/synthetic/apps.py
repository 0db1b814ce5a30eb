from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "apps.synthetic"
    label = "synthetic"
    verbose_name = "Synthetic data"
