from tests.models.test_competences import OFFER


def test_tag_offer(client):
    response = client.post(
        "/v1/offers/tag", json={"title": "Vendeur en boulangerie", "text": OFFER}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["job"]["candidates"][0]["fiche"]["code_rome"] == "D1107"
    found = {i["code_ogr"]: i for kind in body["found"].values() for i in kind}
    assert found["100007"]["spans"][0]["text"].startswith("Conseiller le client")
    assert found["100007"]["path"]["enjeu"]["code"] == "5A"
    assert all(not i["found"] for kind in body["suggested"].values() for i in kind)
    assert body["found"]["savoirs"][0]["categorie"]
    assert body["by_enjeu"][0]["found"] >= 1
    assert body["boilerplate"]


def test_tag_without_suggestions_and_batch(client):
    body = client.post(
        "/v1/offers/tag", json={"text": OFFER, "options": {"suggestions": False}}
    ).json()
    assert all(not v for v in body["suggested"].values())
    batch = client.post(
        "/v1/offers/tag-batch",
        json={
            "offers": [{"text": OFFER}, {"title": "Chauffeur", "text": "Conduire un poids lourd."}]
        },
    )
    assert batch.status_code == 200 and len(batch.json()["results"]) == 2


def test_tag_bad_input(client):
    assert client.post("/v1/offers/tag", json={"text": "   "}).status_code == 422
    assert client.post("/v1/offers/tag", json={"title": "x"}).status_code == 422
    response = client.post("/v1/offers/tag", json={"text": "a" * 50_001})
    assert response.status_code == 413
    assert "at most 50000" in response.json()["message"]
    response = client.post(
        "/v1/offers/tag-batch", json={"offers": [{"text": "ok vente"}, {"text": ""}]}
    )
    assert response.status_code == 422 and "offers[1]" in response.json()["message"]
    assert client.post("/v1/offers/tag-batch", json={"offers": []}).status_code == 422


def test_oversize_body_is_refused_before_reading(client):
    response = client.post(
        "/v1/offers/tag",
        content=b"x",
        headers={"content-length": str(10 * 1024 * 1024), "content-type": "application/json"},
    )
    assert response.status_code == 413


def test_stated_items_carry_their_probability_and_alternatives_on_request(client):
    options: dict[str, float] = {"min_probability": 0.0, "alternatives": 2}
    body = {
        "title": "Aide-soignant",
        "text": "Aide-soignant de nuit.\nConduire un poids lourd.",
        "options": options,
    }
    found = client.post("/v1/offers/tag", json=body).json()["found"]
    items = [i for kind in found.values() for i in kind]
    stated = [i for i in items if i["probability"] is not None]
    assert stated and all(0.0 <= i["probability"] <= 1.0 for i in stated)
    for item in stated:
        alternatives = item["alternatives"]
        assert 1 <= len(alternatives) <= 2
        assert all(a["code_ogr"] != item["code_ogr"] for a in alternatives)
        assert [a["probability"] for a in alternatives] == sorted(
            (a["probability"] for a in alternatives), reverse=True
        )
    options["alternatives"] = 0
    plain = client.post("/v1/offers/tag", json=body).json()["found"]
    assert all(i["alternatives"] == [] for kind in plain.values() for i in kind)
    options["alternatives"] = 6
    assert client.post("/v1/offers/tag", json=body).status_code == 422
