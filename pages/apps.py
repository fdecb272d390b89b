from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Pages")

    def ready(self):
        from pages.cache import connect_signals
        from pages.widgets import start_choosers_without_inline_script

        connect_signals()
        start_choosers_without_inline_script()
