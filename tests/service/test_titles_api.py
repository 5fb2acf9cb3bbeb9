def test_resolve_batch(client):
    response = client.post(
        "/v1/titles/resolve",
        json={
            "titles": [
                {"title": "aide sognante"},
                {"title": "Vendeur", "description": "Vente de pain en boulangerie"},
            ],
            "k": 3,
        },
    )
    assert response.status_code == 200
    body = response.json()
    first = body["results"][0]
    assert first["candidates"][0]["fiche"]["code_rome"] == "J1501"
    assert first["candidates"][0]["appellation"]["code_ogr"] == "10891"
    assert len(first["candidates"]) <= 3
    assert body["results"][1]["candidates"][0]["context"] is not None
    assert 0 < body["abstain_threshold"] < 1


def test_resolve_bad_input_is_422_with_a_message(client):
    cases = [
        {"titles": []},
        {"titles": [{"title": ""}]},
        {"titles": [{"title": "x" * 10_000}]},
        {"titles": [{"title": 42}]},
        {"titles": [{"title": "Aide"}] * 101},
        {"titles": "Aide-soignant"},
        {"titles": [{"title": "Aide"}], "k": 100},
    ]
    for body in cases:
        response = client.post("/v1/titles/resolve", json=body)
        assert response.status_code == 422, body
        assert response.json()["message"]
    response = client.post(
        "/v1/titles/resolve", json={"titles": [{"title": "Aide"}, {"title": "(H/F)"}]}
    )
    assert response.status_code == 422
    assert "titles[1]" in response.json()["message"]


def test_resolve_needs_json(client):
    response = client.post(
        "/v1/titles/resolve", content=b"not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


def test_autocomplete(client):
    body = client.get("/v1/titles/autocomplete", params={"q": "chauff", "k": 5}).json()
    assert body["suggestions"][0]["code_rome"] == "N4101"
    assert client.get("/v1/titles/autocomplete", params={"q": "a"}).status_code == 422
    assert client.get("/v1/titles/autocomplete", params={"q": "ab", "k": 500}).status_code == 422


def test_resolve_accepts_a_naf_code_and_refuses_a_malformed_one(client):
    ok = client.post("/v1/titles/resolve", json={"titles": [{"title": "Vendeur", "naf": "10.71C"}]})
    assert ok.status_code == 200
    best = ok.json()["results"][0]["candidates"][0]
    assert best["fiche"]["code_rome"] == "D1107"
    assert any(e["kind"] == "sector" for e in best["evidence"])
    bad = client.post("/v1/titles/resolve", json={"titles": [{"title": "Vendeur", "naf": "xx"}]})
    assert bad.status_code == 422 and "naf" in bad.json()["message"]
