"""The load mix of ``make load`` (Locust, headless; see loadtest/run.py).

Reps list their deals, open and drag cards on the kanban, log activities on their clients
and search; a head watches the board and opens people's rows. Every user is a demo login
with a session loadtest/run.py wrote for it (LOAD_SESSIONS; without it the user signs in
with the password ``demo``); writes carry the page's CSRF token in the X-CSRFToken header,
as the pages' htmx does."""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, task

from loadtest.mix import (
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

PASSWORD = "demo"
REPS = itertools.cycle(f"rep{number}" for number in range(1, 13))  # in the demo and at scale
HTMX = {"HX-Request": "true"}
TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')
NAME = "X-Load-Request"  # the request's name for the server's CPU per request (loadtest/server.py)


class SignedIn(HttpUser):
    abstract = True
    username = ""
    token = ""

    def on_start(self):
        sessions = json.loads(os.environ.get("LOAD_SESSIONS") or "{}")
        if self.username in sessions:
            self.client.cookies.set("sessionid", sessions[self.username])
            return
        self.client.get("/accounts/login/", name="sign in")
        self.client.post(
            "/accounts/login/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )

    def get(self, path: str, name: str, headers: dict | None = None, **kwargs):
        """A GET named ``name`` in Locust's figures and, for the server's CPU per request
        (loadtest/server.py), in its ``X-Load-Request`` header."""
        return self.client.get(path, name=name, headers={**(headers or {}), NAME: name}, **kwargs)

    def page(self, path: str, name: str, **kwargs) -> str:
        text = self.get(path, name, **kwargs).text
        match = TOKEN.search(text)
        if match:
            self.token = match.group(1)
        return text

    def post(self, path: str, data: dict, name: str, **kwargs):
        headers = {**HTMX, "X-CSRFToken": self.token, "Referer": self.host + "/", NAME: name}
        return self.client.post(path, data, headers=headers, name=name, **kwargs)


class Rep(SignedIn):
    weight = REP_WEIGHT
    wait_time = between(1, 3)

    def on_start(self):
        self.username = next(REPS)
        self.cards: dict[str, tuple[str, str]] = {}  # deal id: (its stage, its move URL)
        self.stages: list[str] = []
        self.clients: list[str] = []
        super().on_start()

    @task(REP_TASKS["deal list"])
    def deal_list(self):
        self.page("/deals/list/?status=open", "deal list")

    @task(REP_TASKS["kanban"])
    def kanban(self):
        page = self.page("/deals/", "kanban")
        self.cards = {deal: (stage, url) for deal, stage, url in CARD.findall(page)}
        self.stages = kanban_stages(page)

    @task(REP_TASKS["move on kanban"])
    def move_a_deal(self):
        if not self.cards or not self.stages or not self.token:
            return self.kanban()
        deal = random.choice(list(self.cards))
        stage, url = self.cards[deal]
        # another open stage than its own: moving a deal to where it is already is refused (400)
        others = [other for other in self.stages if other != stage]
        if not others:
            return None
        stage = random.choice(others)
        data = {"stage": stage, "view": "kanban", "filters": ""}
        move = self.post(url, data, "move on kanban", catch_response=True)
        with move as response:
            if response.ok:
                self.cards[deal] = (stage, url)
            elif response.status_code == 400 and "already at" in response.text:
                # Users beyond the twelve reps share a rep's login: the other session moved the
                # deal there first, and the rep is told so (as a person with two tabs would be).
                self.cards[deal] = (stage, url)
                response.success()
        return response

    @task(REP_TASKS["log activity"])
    def log_an_activity(self):
        if not self.clients or not self.token:
            self.clients = CLIENT.findall(self.page("/clients/", "client list"))
            return
        self.post(
            f"/clients/{random.choice(self.clients)}/activities/",
            ACTIVITY,
            "log activity",
        )

    @task(REP_TASKS["deal search"])
    def search(self):
        self.page(f"/deals/list/?q={random.choice(SEARCHES)}", "deal search")


class Head(SignedIn):
    weight = HEAD_WEIGHT
    wait_time = between(2, 5)
    username = "head"
    people: list[str] = []

    @task(HEAD_TASKS["board"])
    def board(self):
        self.people = PERSON.findall(self.page("/deals/board/", "board"))

    @task(HEAD_TASKS["board person"])
    def open_a_person(self):
        if self.people:
            self.get(random.choice(self.people), "board person", headers=HTMX)
