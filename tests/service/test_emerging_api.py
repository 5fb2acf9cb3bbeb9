from tests.fixtures.phrases import OPENINGS

NEW = "Rédiger des prompts pour l'IA générative"


def test_analyse_small_corpus(emerging_client):
    docs = [
        {"id": f"d{i}", "text": f"{OPENINGS[i]}\n{NEW}\nConduire un poids lourd"} for i in range(3)
    ]
    response = emerging_client.post("/v1/emerging/analyse", json={"documents": docs, "k": 5})
    assert response.status_code == 200, response.text
    labels = [c["label"] for c in response.json()["candidates"]]
    assert NEW in labels
    new = response.json()["candidates"][labels.index(NEW)]
    assert new["listed_with"] == []  # ROME tools it was listed beside: none here


def test_analyse_counts_reposts_once(emerging_client):
    # The same offer posted three times is one employer saying it once: no trend.
    text = f"{OPENINGS[0]}\n{NEW}\nConduire un poids lourd"
    docs = [{"id": f"d{i}", "text": text} for i in range(3)]
    body = emerging_client.post("/v1/emerging/analyse", json={"documents": docs}).json()
    assert body["reposts"] == 2
    assert NEW not in [c["label"] for c in body["candidates"]]


def test_analyse_bad_input_and_disabled(emerging_client, client):
    assert emerging_client.post("/v1/emerging/analyse", json={"documents": []}).status_code == 422
    too_many = [{"id": str(i), "text": "x"} for i in range(201)]
    assert (
        emerging_client.post("/v1/emerging/analyse", json={"documents": too_many}).status_code
        == 422
    )
    off = client.post("/v1/emerging/analyse", json={"documents": [{"id": "a", "text": "x"}]})
    assert off.status_code == 503 and "PASSERELLE_EMERGING" in off.json()["message"]


def test_a_server_starts_the_background_loads_once_it_listens(mini_settings, mini_core):
    import time

    from fastapi.testclient import TestClient

    from service.app import create_app

    loads = []

    def loader(core):
        loads.append(core)
        return object()

    settings = mini_settings.model_copy(update={"emerging": True})
    app = create_app(
        settings, loader=lambda _s: mini_core, emerging_loader=loader, defer_background=True
    )
    with TestClient(app) as client:
        assert client.get("/ready").status_code == 200
        time.sleep(0.05)
        assert loads == [] and app.state.emerging is None  # nothing yet: not listening
        app.state.start_background()
        app.state.start_background()  # a second call starts nothing more
        for _ in range(100):
            if app.state.emerging is not None:
                break
            time.sleep(0.01)
        assert loads == [mini_core]
