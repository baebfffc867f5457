"""CPU per request kind of the load mix, in-process (the per-kind table of README, `make load`).

Each request of loadtest/locustfile.py's mix through django.test.Client, with the settings
`make load` uses (laptop settings, DEBUG off, CONN_MAX_AGE=60): a few requests to warm up,
then the CPU time (time.process_time) of each of --repeats requests; prints the median, the
mean and the minimum per kind. --profile KIND prints that kind's cProfile instead of timing
alone (with --mix, of that kind's requests in the mix); profiles count CPU time, not the
database's. Like `make load` it moves deals and logs calls: point DATABASE_URL at a copy.

    DATABASE_URL=postgres://…/load_large python loadtest/inprocess.py [--only "deal list,kanban"]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesdept.settings.local")
os.environ["DEBUG"] = "false"
os.environ.setdefault("CONN_MAX_AGE", "60")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from loadtest.mix import (  # noqa: E402
    ACTIVITY,
    CARD,
    CLIENT,
    HEAD_TASKS,
    HEAD_WEIGHT,
    PERSON,
    REP_TASKS,
    REP_WEIGHT,
    SEARCHES,
    kanban_stages,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(username: str) -> Client:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise SystemExit(
            f"No user {username!r} here: point DATABASE_URL at a seeded database (--reps at most its reps)."
        )
    client = Client()
    client.force_login(user)
    return client


def the_mix(rep: Client, head: Client) -> dict:
    """The mix's requests by name, with the cards, stages, clients and people they need read
    from the pages as Locust reads them."""
    page = rep.get("/deals/").content.decode()
    cards = {deal: (stage, url) for deal, stage, url in CARD.findall(page)}
    stages = kanban_stages(page)
    clients = sorted(set(CLIENT.findall(rep.get("/clients/").content.decode())))
    people = sorted(set(PERSON.findall(head.get("/deals/board/").content.decode())))

    def move():
        deal = random.choice(sorted(cards))
        stage, url = cards[deal]
        stage = random.choice([other for other in stages if other != stage])
        cards[deal] = (stage, url)
        return rep.post(url, {"stage": stage, "view": "kanban", "filters": ""}, **HTMX)

    return {
        "deal list": lambda: rep.get("/deals/list/?status=open"),
        "kanban": lambda: rep.get("/deals/"),
        "move on kanban": move,
        "log activity": lambda: rep.post(f"/clients/{random.choice(clients)}/activities/", ACTIVITY, **HTMX),
        "deal search": lambda: rep.get(f"/deals/list/?q={random.choice(SEARCHES)}"),
        "client list": lambda: rep.get("/clients/"),
        "board": lambda: head.get("/deals/board/"),
        "board person": lambda: head.get(random.choice(people), **HTMX),
    }


def run_the_mix(
    requests: int, reps: int, profile: cProfile.Profile | None = None, profiled: str = ""
) -> None:
    """``requests`` requests drawn as Locust draws them (a user by weight, then a task by
    weight), every rep's writes landing between the others' reads as under `make load`: the
    kept rows and cached figures miss as often as they do there. Prints CPU per request per
    kind and over all; with ``profile``, profiles the requests named ``profiled``."""
    head = signed_in("head")
    mixes = [the_mix(signed_in(f"rep{number}"), head) for number in range(1, reps + 1)]
    times: dict[str, list[float]] = {}
    for _ in range(requests):
        if random.random() < HEAD_WEIGHT / (HEAD_WEIGHT + REP_WEIGHT):
            kinds, tasks = mixes[0], HEAD_TASKS
        else:
            kinds, tasks = random.choice(mixes), REP_TASKS
        name = random.choices(list(tasks), weights=list(tasks.values()))[0]
        started = time.process_time()
        if profile and name == profiled:
            profile.enable()
        response = kinds[name]()
        if profile and name == profiled:
            profile.disable()
        times.setdefault(name, []).append(1000 * (time.process_time() - started))
        if response.status_code != 200:
            raise SystemExit(f"{name}: {response.status_code}")
    print(f"{'request':<16} {'count':>6} {'median':>8} {'mean':>8}  (ms of CPU, the mix in one process)")
    for name, spent in sorted(times.items()):
        print(f"{name:<16} {len(spent):6d} {statistics.median(spent):8.1f} {statistics.mean(spent):8.1f}")
    every = [value for spent in times.values() for value in spent]
    print(f"{'all':<16} {len(every):6d} {statistics.median(every):8.1f} {statistics.mean(every):8.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--only", default="", help="comma-separated request names")
    parser.add_argument("--profile", default="", help="a request name to profile with cProfile")
    parser.add_argument("--sort", default="cumulative", help="the profile's order: cumulative, tottime, …")
    parser.add_argument("--lines", type=int, default=60, help="how many lines of the profile to print")
    parser.add_argument("--rep", default="rep1")
    parser.add_argument(
        "--mix", type=int, default=0, help="instead: this many requests of the mix, drawn as Locust does"
    )
    parser.add_argument("--reps", type=int, default=12, help="how many reps the mix signs in as")
    args = parser.parse_args()
    if args.repeats < 1 or args.mix < 0 or args.reps < 1 or args.lines < 1:
        parser.error("--repeats, --reps and --lines must be at least 1, --mix at least 0")
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL (a copy of a seeded PostgreSQL database: the mix writes).")
    random.seed(1)
    if args.mix:
        profile = cProfile.Profile(time.process_time) if args.profile else None
        run_the_mix(args.mix, args.reps, profile, args.profile)
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.lines)
            print(out.getvalue())
        return 0
    kinds = the_mix(signed_in(args.rep), signed_in("head"))
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    print(f"{'request':<16} {'median':>8} {'mean':>8} {'min':>8}  (ms of CPU, {args.repeats} requests)")
    for name, request in kinds.items():
        if only and name not in only:
            continue
        for _ in range(3):
            response = request()
            if response.status_code != 200:
                raise SystemExit(f"{name}: {response.status_code}")
        profile = cProfile.Profile(time.process_time) if name == args.profile else None
        times = []
        for _ in range(args.repeats):
            started = time.process_time()
            if profile:
                profile.enable()
            request()
            if profile:
                profile.disable()
            times.append(1000 * (time.process_time() - started))
        print(f"{name:<16} {statistics.median(times):8.1f} {statistics.mean(times):8.1f} {min(times):8.1f}")
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.lines)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
