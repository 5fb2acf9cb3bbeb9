def test_health_and_ready(client):
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert ready["status"] == "ready"
    assert ready["release"] == "999"
    assert ready["encoder"] == "fake-hash-256"
    assert ready["counts"]["fiches"] == 5
    assert "France Travail" in ready["attribution"]


def test_fiche_view_groups_competences_by_enjeu(client):
    body = client.get("/v1/fiches/M1805").json()
    assert body["label"] == "Développeur / Développeuse informatique"
    assert [a["code_ogr"] for a in body["appellations"]] == ["38717", "38718"]
    groups = body["competences_by_enjeu"]
    assert [g["enjeu"]["code"] for g in groups] == ["2B"]
    levels = {c["code_ogr"]: c["level"] for c in groups[0]["competences"]}
    assert levels == {"100005": "principale", "100006": "emergente"}
    assert {s["code_ogr"] for s in body["savoir_etre"]} == {"300465", "300490"}
    assert list(body["savoirs_by_categorie"]) == ["Domaines d'expertise"]


def test_fiche_lower_case_code_and_mobility(client):
    body = client.get("/v1/fiches/d1106").json()
    assert body["mobility"] == [
        {
            "fiche": {
                "code_rome": "D1107",
                "label": "Vendeur / Vendeuse en boulangerie",
                "parent": "D1106",
            },
            "order": 1,
        }
    ]
    assert body["contextes_by_type"]["Horaires et durée du travail"][0]["label"] == (
        "Travail le samedi"
    )


def test_unknown_codes_are_404_with_a_message(client):
    response = client.get("/v1/fiches/A9999")
    assert response.status_code == 404
    assert response.json()["message"] == "unknown fiche (code_rome) code 'A9999'"
    assert client.get("/v1/appellations/1").status_code == 404
    assert client.get("/v1/competences/200001").status_code == 404
    assert client.get("/v1/macro-competences/100001").status_code == 404


def test_malformed_codes_are_422(client):
    response = client.get("/v1/fiches/not-a-code")
    assert response.status_code == 422
    assert "code_rome" in response.json()["message"]


def test_competence_path_and_macro(client):
    body = client.get("/v1/competences/100003").json()
    assert body["kind"] == "competence"
    assert body["path"]["domaine"]["code"] == "3"
    assert body["path"]["macro_competence"]["code"] == "3A101"
    assert client.get("/v1/competences/300490").json()["kind"] == "savoir_etre"
    macro = client.get("/v1/macro-competences/300200").json()
    assert [c["code"] for c in macro["competences"]] == ["100003", "100004"]


def test_appellation_savoir_contexte(client):
    assert client.get("/v1/appellations/20002").json()["fiche"]["parent"] == "D1106"
    assert client.get("/v1/savoirs/200002").json()["categorie"] == (
        "Certifications et habilitations"
    )
    assert client.get("/v1/contextes/126450").json()["label"] == "Travail de nuit"


def test_tree_counts_competences_per_macro(client):
    tree = client.get("/v1/tree").json()
    assert [d["code"] for d in tree["domaines"]] == ["1", "2", "3", "5", "6"]
    macro = tree["domaines"][2]["enjeux"][0]["objectifs"][0]["macro_competences"][0]
    assert (macro["code"], macro["competences"]) == ("3A101", 2)


def test_search_is_typo_tolerant_and_validates(client):
    body = client.get("/v1/search", params={"q": "chaufeur poids lourd"}).json()
    assert body["results"][0]["id"] == "11989"
    assert client.get("/v1/search", params={"q": "x", "collection": "nope"}).status_code == 422
    assert client.get("/v1/search", params={"q": "!!!"}).status_code == 422
    assert client.get("/v1/search", params={"q": "a" * 501}).status_code == 422
    assert client.get("/v1/search", params={"q": "vente", "k": 0}).status_code == 422


def test_routes_before_loading_answer_503(mini_settings):
    from fastapi.testclient import TestClient

    from service.app import create_app

    app = create_app(mini_settings)  # lifespan not entered: nothing loaded
    response = TestClient(app).get("/v1/fiches/J1501")
    assert response.status_code == 503
    assert "retry" in response.json()["message"]
