from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from aigaq.people.models import Person, Place


class Command(BaseCommand):
    help = (
        "Generate synthetic demo data: persons with Kazakh, Uyghur, Kyrgyz and Hui names in Cyrillic, "
        "Latin, Arabic script and Chinese renderings, families, testimonies and status timelines over "
        "2016-2024, hometowns from the gazetteer. Never real people. Deterministic with --seed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--people", type=int, default=400, help="how many persons (default 400)"
        )
        parser.add_argument("--seed", type=int, default=2018, help="random seed (default 2018)")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if the database already has persons"
        )
        parser.add_argument(
            "--no-testimonies", action="store_true", help="persons only (faster, for benchmarks)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from aigaq.demo.records import generate_demo

        if options["people"] < 1:
            raise CommandError("--people must be at least 1.")
        if options["if_empty"] and Person.objects.exists():
            self.stdout.write("The database already has persons; no demo data added.")
            return
        if not Place.objects.exists():
            call_command("gazetteer", "load", verbosity=0)
        with tqdm(total=options["people"], unit="person", disable=options["verbosity"] == 0) as bar:
            summary = generate_demo(
                people=options["people"],
                seed=options["seed"],
                progress=bar.update,
                with_testimonies=not options["no_testimonies"],
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {summary.persons} persons, {summary.names} names, {summary.events} status events, "
                f"{summary.testimonies} testimonies from {summary.testifiers} testifiers, "
                f"{summary.contacts} family contacts with {summary.contact_log} logged contacts "
                f"(seed {options['seed']})."
            )
        )
