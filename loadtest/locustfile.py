"""The load mix of ``make load`` (Locust, headless; see loadtest/run.py).

Reps list their deals, open and drag cards on the kanban, log activities on their clients
and search; a head watches the board and opens people's rows. Every user signs in as a demo
login (password ``demo``) and keeps its session; writes carry the CSRF token as the pages'
htmx does (the X-CSRFToken header)."""

from __future__ import annotations

import itertools
import random
import re

from locust import HttpUser, between, task

PASSWORD = "demo"
REPS = itertools.cycle(f"rep{number}" for number in range(1, 13))  # in the demo and at scale
HTMX = {"HX-Request": "true"}
CARD = re.compile(r'data-move-url="(/deals/(\d+)/move/)"')
STAGES = re.compile(r'<template id="kanban-stages">(.*?)</template>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')
CLIENT = re.compile(r'href="/clients/(\d+)/"')
PERSON = re.compile(r'hx-get="(/deals/board/people/\d+/)"')
SEARCHES = ["12", "Deal 4", "group", "module", "7"]


class SignedIn(HttpUser):
    abstract = True
    username = ""

    def on_start(self):
        self.client.get("/accounts/login/", name="sign in")
        token = self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )

    def post(self, path: str, data: dict, name: str):
        headers = {
            **HTMX,
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
            "Referer": self.host + "/",
        }
        return self.client.post(path, data, headers=headers, name=name)


class Rep(SignedIn):
    weight = 19
    wait_time = between(1, 3)

    def on_start(self):
        self.username = next(REPS)
        super().on_start()
        self.cards: list[tuple[str, str]] = []
        self.stages: list[str] = []
        self.clients: list[str] = []

    @task(4)
    def deal_list(self):
        self.client.get("/deals/list/?status=open", name="deal list")

    @task(3)
    def kanban(self):
        page = self.client.get("/deals/", name="kanban").text
        self.cards = CARD.findall(page)
        match = STAGES.search(page)
        self.stages = OPTION.findall(match.group(1)) if match else []

    @task(3)
    def move_a_deal(self):
        if not self.cards or not self.stages:
            return self.kanban()
        url, _pk = random.choice(self.cards)
        self.post(
            url, {"stage": random.choice(self.stages), "view": "kanban", "filters": ""}, "move on kanban"
        )

    @task(3)
    def log_an_activity(self):
        if not self.clients:
            page = self.client.get("/clients/", name="client list").text
            self.clients = CLIENT.findall(page)
            return
        client = random.choice(self.clients)
        self.post(
            f"/clients/{client}/activities/",
            {"kind": "call", "direction": "outgoing", "duration_minutes": "5", "outcome": "Load test call"},
            "log activity",
        )

    @task(2)
    def search(self):
        self.client.get(f"/deals/list/?q={random.choice(SEARCHES)}", name="deal search")


class Head(SignedIn):
    weight = 1
    wait_time = between(2, 5)
    username = "head"

    @task(3)
    def board(self):
        page = self.client.get("/deals/board/", name="board").text
        self.people = PERSON.findall(page)

    @task(2)
    def open_a_person(self):
        people = getattr(self, "people", [])
        if people:
            self.client.get(random.choice(people), headers=HTMX, name="board person")
