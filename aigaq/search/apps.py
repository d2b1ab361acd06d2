from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "aigaq.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from aigaq.people import hooks
        from aigaq.search import checks  # noqa: F401 - registers the stale-index check
        from aigaq.search.services import person_index_update, persons_index_new

        if person_index_update not in hooks.PERSON_WRITTEN:
            hooks.PERSON_WRITTEN.append(person_index_update)
        if persons_index_new not in hooks.PERSONS_CREATED:
            hooks.PERSONS_CREATED.append(persons_index_new)
