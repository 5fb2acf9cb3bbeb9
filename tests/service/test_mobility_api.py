def test_mobility_from_a_fiche(client):
    response = client.get("/v1/mobility/d1106?k=3&in_tension=D1107")
    assert response.status_code == 200
    body = response.json()
    top = body["targets"][0]
    assert top["fiche"]["code_rome"] == "D1107" and top["official"] and top["tension"] is True
    assert top["missing_by_macro_competence"][0]["items"][0]["code_ogr"] == "100004"
    assert set(top["transitions"]) == {"ecological", "digital", "demographic"}
    assert client.get("/v1/mobility/A9999").status_code == 404
    assert client.get("/v1/mobility/Z9999").status_code == 422  # malformed
    assert client.get("/v1/mobility/D1106?k=0").status_code == 422


def test_mobility_from_a_cv_parse(client):
    cv = client.post(
        "/v1/cvs/parse",
        json={
            "text": "Expériences\n2015 – 2019 Chauffeur poids lourd\n- Conduire un poids lourd\n"
        },
    ).json()
    response = client.post("/v1/mobility", json={"tagged": cv, "k": 2, "tension": {"N4101": 3}})
    assert response.status_code == 200, response.text
    top = response.json()["targets"][0]
    assert top["fiche"]["code_rome"] == "N4101" and top["tension"] == 3
    empty = client.post("/v1/mobility", json={"competences": []})
    assert empty.status_code == 422 and "competences" in empty.json()["message"]
    unknown = client.post("/v1/mobility", json={"competences": ["999999"]})
    assert unknown.status_code == 422


def test_close_competences(client):
    body = client.get("/v1/competences/100001/close?k=5").json()
    assert body["close"][0] == {
        "code_ogr": "100001",
        "label": body["label"],
        "affinity": 1.0,
        "reason": "same_code",
    }
    assert any(c["code_ogr"] == "100002" and c["reason"] == "same_macro" for c in body["close"])
    assert client.get("/v1/competences/200001/close").status_code == 404


def test_match_offer_text_against_profiles_and_back(client):
    response = client.post(
        "/v1/match",
        json={
            "offer": {
                "title": "Aide-soignant",
                "text": "Réaliser les soins d'hygiène et de "
                "confort du patient. Surveiller l'état de santé d'un patient.",
            },
            "profiles": [
                {"id": "a", "competences": ["100003"]},
                {"id": "b", "competences": ["100001", "100002"]},
            ],
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["direction"] == "offer_to_profiles"
    assert [r["id"] for r in body["results"]] == ["b", "a"]
    assert body["results"][1]["missing_required"]
    back = client.post(
        "/v1/match",
        json={
            "profile": {"competences": ["100007"]},
            "offers": [
                {"id": "sales", "competences": [{"code": "100008"}]},
                {"id": "care", "competences": [{"code": "100001"}]},
            ],
        },
    ).json()
    assert back["results"][0]["id"] == "sales"
    assert back["results"][0]["through_affinity"][0]["reason"] == "same_macro"


def test_match_bad_input(client):
    both = client.post("/v1/match", json={"offers": [], "profiles": []})
    assert both.status_code == 422 and "either" in both.json()["message"]
    unknown = client.post(
        "/v1/match",
        json={
            "offer": {"competences": [{"code": "100001"}]},
            "profiles": [{"id": "x", "competences": ["999999"]}],
        },
    )
    assert unknown.status_code == 422 and "profiles[0]" in unknown.json()["message"]
    profile = {"id": "p", "competences": ["100001"]}
    texts = [{"id": f"o{i}", "text": "Conduire un poids lourd."} for i in range(21)]
    many = client.post("/v1/match", json={"profile": profile, "offers": texts})
    assert many.status_code == 422 and "tag at most 20" in many.json()["message"]
    long = [{"id": f"o{i}", "text": "Conduire un poids lourd. " * 1_000} for i in range(3)]
    costly = client.post("/v1/match", json={"profile": profile, "offers": long})
    assert costly.status_code == 413 and "offers sent as text" in costly.json()["message"]
