"""The demo department's staff: deterministic, realistic, password ``demo``."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import Role, Team, Territory, User

DEMO_PASSWORD = "demo"

TERRITORIES = ["North-West", "Central", "Volga", "Urals", "Siberia", "South"]

TEAMS = [
    ("Team North", ("lead1", "Elena", "Sokolova")),
    ("Team Central", ("lead2", "Dmitry", "Volkov")),
    ("Team East", ("lead3", "Li", "Wei")),
]

REPS = [
    ("Anna", "Ivanova"),
    ("Pavel", "Smirnov"),
    ("Olga", "Kuznetsova"),
    ("Sergey", "Popov"),
    ("Maria", "Lebedeva"),
    ("Andrey", "Kozlov"),
    ("Natalia", "Novikova"),
    ("Ivan", "Morozov"),
    ("Zhang", "Min"),
    ("Wang", "Fang"),
    ("Alexei", "Petrov"),
    ("Chen", "Jing"),
]

OTHERS = [
    ("head", "Viktor", "Orlov", Role.HEAD, None),
    ("sdr1", "Kirill", "Fedorov", Role.SDR, 0),
    ("am1", "Irina", "Egorova", Role.ACCOUNT_MANAGER, 1),
    ("assistant1", "Svetlana", "Pavlova", Role.ASSISTANT, 0),
    ("analyst1", "Mikhail", "Semenov", Role.ANALYST, None),
]


@dataclass
class DemoStaff:
    head: User
    teams: list[Team]
    leads: list[User]
    reps: list[User]
    territories: list[Territory]
    others: dict[str, User] = field(default_factory=dict)

    @property
    def sellers(self) -> list[User]:
        """Everyone who owns clients and deals in the demo."""
        return self.reps + [self.others["am1"], self.others["sdr1"]]


def _user(username, first, last, role, team, territory, password_hash, **extra) -> User:
    return User(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@salesdept.example",
        role=role,
        team=team,
        territory=territory,
        password=password_hash,
        **extra,
    )


def seed_staff() -> DemoStaff:
    from django.contrib.auth.hashers import make_password

    password_hash = make_password(DEMO_PASSWORD, salt="salesdeptdemo")
    territories = [Territory.objects.create(name=name) for name in TERRITORIES]
    head = _user(
        "head",
        "Viktor",
        "Orlov",
        Role.HEAD,
        None,
        territories[1],
        password_hash,
        is_staff=True,
        is_superuser=True,
    )
    head.save()
    teams, leads, reps = [], [], []
    for index, (team_name, (username, first, last)) in enumerate(TEAMS):
        team = Team.objects.create(name=team_name)
        lead = _user(username, first, last, Role.LEAD, team, territories[index * 2], password_hash)
        lead.save()
        team.lead = lead
        team.save(update_fields=["lead", "updated_at"])
        teams.append(team)
        leads.append(lead)
        for offset in range(4):
            number = index * 4 + offset + 1
            first_name, last_name = REPS[number - 1]
            rep = _user(
                f"rep{number}",
                first_name,
                last_name,
                Role.REP,
                team,
                territories[(index * 2 + offset % 2) % len(territories)],
                password_hash,
            )
            rep.save()
            reps.append(rep)
    others = {}
    for username, first, last, role, team_index in OTHERS[1:]:
        team = teams[team_index] if team_index is not None else None
        user = _user(username, first, last, role, team, territories[0], password_hash)
        user.save()
        others[username] = user
    return DemoStaff(head=head, teams=teams, leads=leads, reps=reps, territories=territories, others=others)


def demo_logins() -> list[tuple[str, str]]:
    rows = [("head", "head of sales")]
    rows += [(lead[0], f"team lead, {name}") for name, lead in TEAMS]
    rows += [("rep1 … rep12", "sales reps (four per team)")]
    rows += [
        ("sdr1", "SDR"),
        ("am1", "key-account manager"),
        ("assistant1", "sales assistant"),
        ("analyst1", "analyst (read-only)"),
    ]
    return rows
