"""What every phase of the department-scale data set shares: the scale, the period, the
names rows are made of, and the progress line."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

CHUNK = 50_000


@dataclass(frozen=True)
class Scale:
    teams: int = 10
    reps_per_team: int = 12
    clients: int = 30_000
    deals: int = 150_000
    activities: int = 2_000_000
    installments: int = 100_000
    years: int = 3


LARGE = Scale()


# --- the data -----------------------------------------------------------------------------

FIRST_NAMES = [
    "Anna",
    "Pavel",
    "Olga",
    "Sergey",
    "Maria",
    "Andrey",
    "Natalia",
    "Ivan",
    "Elena",
    "Dmitry",
    "Irina",
    "Alexei",
    "Svetlana",
    "Mikhail",
    "Tatiana",
    "Nikolai",
    "Li",
    "Wang",
    "Zhang",
    "Chen",
]
LAST_NAMES = [
    "Ivanov",
    "Smirnov",
    "Kuznetsov",
    "Popov",
    "Lebedev",
    "Kozlov",
    "Novikov",
    "Morozov",
    "Petrov",
    "Volkov",
    "Sokolov",
    "Orlov",
    "Fedorov",
    "Egorov",
    "Pavlov",
    "Semenov",
    "Wei",
    "Min",
    "Fang",
    "Jing",
]
INDUSTRIES = [
    "Manufacturing",
    "Retail",
    "Logistics",
    "Construction",
    "Healthcare",
    "Education",
    "Finance",
    "IT services",
    "Energy",
    "Agriculture",
    "Hospitality",
    "Telecom",
]
TERRITORIES = ["North-West", "Central", "Volga", "Urals", "Siberia", "South", "Far East", "North Caucasus"]
COMPANY_WORDS = [
    "Alfa",
    "Vector",
    "Nord",
    "Sigma",
    "Techno",
    "Stroy",
    "Trans",
    "Agro",
    "Med",
    "Info",
    "Energo",
    "Prom",
    "Servis",
    "Logistic",
    "Capital",
    "Sever",
    "Ural",
    "Volga",
    "Baikal",
    "Orion",
]
COMPANY_FORMS = ["LLC", "JSC", "Group", "Holding", "Trade", "Systems", "Plant", "Partners"]


def timestamp(day: datetime.date, rng: random.Random) -> datetime.datetime:
    naive = datetime.datetime.combine(day, datetime.time(9 + rng.randrange(9), rng.randrange(60)))
    return timezone.make_aware(naive)


def say(out: Callable[[str], None], started: float, message: str) -> None:
    out(f"[{time.monotonic() - started:7.1f}s] {message}")


@dataclass(frozen=True)
class Period:
    """The days the data covers: from the first of January ``scale.years`` ago to today."""

    first_day: datetime.date
    today: datetime.date

    @property
    def span_days(self) -> int:
        return (self.today - self.first_day).days


@dataclass(frozen=True)
class Staff:
    head: object
    teams: list
    reps: list
    territories: list
    industries: list

    @property
    def rep_ids(self) -> list[int]:
        return [rep.pk for rep in self.reps]


@dataclass(frozen=True)
class Clients:
    start: int  # the id of the first client
    owner: list[int]  # the owner id of each client, by its index
