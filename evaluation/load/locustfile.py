"""The realistic mix of the load benchmark: 60 % resolve (one title), 20 % autocomplete, 15 %
tag (an offer of ~1,500 characters), 5 % fiche. Titles and offers come from the JSONL file
named by PASSERELLE_LOAD_OFFERS (read at start, never written anywhere)."""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

from evaluation.load.inputs import load_inputs

TITLES, TEXTS, CODES = load_inputs(os.environ.get("PASSERELLE_LOAD_OFFERS"))
RANDOM = random.Random(int(os.environ.get("PASSERELLE_LOAD_SEED", "1")))


class Visitor(HttpUser):
    wait_time = between(0.05, 0.2)

    @task(60)
    def resolve(self) -> None:
        title = RANDOM.choice(TITLES)
        self.client.post("/v1/titles/resolve", json={"titles": [{"title": title}]}, name="resolve")

    @task(20)
    def autocomplete(self) -> None:
        # What a person types: the first letters of a job, from 2 characters on.
        words = ["".join(c for c in w if c.isalnum()) for w in RANDOM.choice(TITLES).split()]
        title = next((w for w in words if len(w) >= 2), "aide")
        prefix = title[: RANDOM.randint(2, max(2, min(12, len(title))))]
        self.client.get("/v1/titles/autocomplete", params={"q": prefix}, name="autocomplete")

    @task(15)
    def tag(self) -> None:
        text = RANDOM.choice(TEXTS)
        self.client.post(
            "/v1/offers/tag",
            data=json.dumps({"text": text}),
            headers={"content-type": "application/json"},
            name="tag",
        )

    @task(5)
    def fiche(self) -> None:
        self.client.get(f"/v1/fiches/{RANDOM.choice(CODES)}", name="fiche")
