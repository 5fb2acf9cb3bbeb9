"""Hostile requests get a documented 4xx in the `{error, message}` shape, quickly, and the
service answers the next request as before."""

import json
import logging
import time

import pytest

from evaluation.load import hostile
from models import budgets
from service.app import HEAVY_ROUTES
from service.body_limits import MAX_BODY_BYTES

# The JSON routes of the `client` fixture's app (its emerging detector is off).
JSON_ROUTES = [route for route in HEAVY_ROUTES if route != "/v1/emerging/analyse"]


def _shaped(response, status, error=None):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) >= {"error", "message"} and body["message"]
    if error:
        assert body["error"] == error
    return body


def _still_serves(client):
    response = client.post("/v1/titles/resolve", json={"titles": [{"title": "Aide-soignant"}]})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "bomb",
    [hostile.overlapping_runs(1_000_000), hostile.overlapping_runs(20_000_000)],
    ids=["3.6kB", "60kB"],
)
def test_a_pdf_bomb_gets_a_413_within_seconds(client, bomb):
    started = time.monotonic()
    response = client.post(
        "/v1/cvs/parse", content=bomb, headers={"content-type": "application/pdf"}
    )
    assert time.monotonic() - started < 5
    assert "CV" in _shaped(response, 413, "InputTooLarge")["message"]
    _still_serves(client)


def _chunks(size, piece=64 * 1024):
    sent = 0
    while sent < size:
        yield b" " * piece
        sent += piece


@pytest.mark.parametrize("route", ["/v1/titles/resolve", "/v1/cvs/parse"])
def test_a_chunked_body_over_the_limit_is_cut_off_with_413(client, route):
    response = client.post(
        route,
        content=_chunks(MAX_BODY_BYTES + 1),
        headers={"content-type": "application/json"},
    )
    assert "MiB" in _shaped(response, 413, "InputTooLarge")["message"]
    _still_serves(client)


def test_a_chunked_body_under_the_limit_is_read(client):
    body = json.dumps({"titles": [{"title": "Aide-soignant"}]}).encode()
    response = client.post(
        "/v1/titles/resolve", content=iter([body]), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    assert "content-length" not in response.request.headers


def test_a_declared_length_over_the_limit_is_refused_before_reading(client):
    response = client.post(
        "/v1/offers/tag",
        content=b"{}",
        headers={"content-type": "application/json", "content-length": str(10**9)},
    )
    _shaped(response, 413, "InputTooLarge")


@pytest.mark.parametrize("route", JSON_ROUTES)
@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe{not utf-8", b'{"titles": [', b"[" * 100_000 + b"]" * 100_000],
    ids=["not-utf8", "truncated", "nested-100k"],
)
def test_unparseable_json_is_a_422_in_the_documented_shape(client, route, body):
    response = client.post(route, content=body, headers={"content-type": "application/json"})
    _shaped(response, 422, "InvalidInput")


def test_deep_nesting_inside_a_valid_field_is_a_422(client):
    deep = b'{"tagged": {"found": ' + b"[" * 5_000 + b"]" * 5_000 + b"}}"
    response = client.post(
        "/v1/mobility", content=deep, headers={"content-type": "application/json"}
    )
    _shaped(response, 422, "InvalidInput")


def test_a_multipart_flood_is_a_422_in_the_documented_shape(client):
    fields = {f"f{i}": "x" for i in range(1_000)}
    response = client.post(
        "/v1/cvs/parse", data=fields, files={"file": ("cv.txt", b"Cariste", "text/plain")}
    )
    assert "multipart" in _shaped(response, 422, "InvalidInput")["message"]


def test_unknown_routes_and_methods_keep_the_shape(client):
    _shaped(client.get("/v1/nothing-here"), 404, "NotFound")
    _shaped(client.delete("/v1/titles/resolve"), 405, "MethodNotAllowed")


def test_descriptions_over_the_budget_are_a_413(client):
    description = "conduite " * 2_000  # 18,000 characters, under the per-title limit
    n = budgets.RESOLVE_DESCRIPTION_CHARS // len(description) + 1
    titles = [{"title": "Cariste", "description": description} for _ in range(n)]
    body = _shaped(client.post("/v1/titles/resolve", json={"titles": titles}), 413)
    assert "smaller batches" in body["message"]


def test_a_tag_batch_over_the_budget_is_a_413(client):
    per = budgets.TAG_BATCH_CHARS // 4 + 1
    offers = [{"text": "Conduite de chariots. " * (per // 22 + 1)} for _ in range(4)]
    _shaped(client.post("/v1/offers/tag-batch", json={"offers": offers}), 413, "InputTooLarge")


def test_a_match_reply_over_the_budget_is_a_413(client, mini_core):
    codes = sorted(mini_core.referential.competences)
    k = budgets.MATCH_REPLY_ENTRIES // len(codes) + 1
    body = {
        "offer": {"competences": [{"code": c} for c in codes]},
        "profiles": [{"id": f"p{i}", "competences": codes[:1]} for i in range(k)],
        "k": k,
    }
    assert "(k)" in _shaped(client.post("/v1/match", json=body), 413)["message"]


def test_emerging_over_its_budget_is_a_413(emerging_client):
    text = "Maîtrise de Kubernetes. " * 2_000
    docs = [{"id": str(i), "text": text} for i in range(budgets.EMERGING_CHARS // len(text) + 1)]
    _shaped(emerging_client.post("/v1/emerging/analyse", json={"documents": docs}), 413)


def test_every_reply_carries_a_request_id(client):
    generated = client.get("/health").headers["x-request-id"]
    assert len(generated) == 32
    assert (
        client.get("/health", headers={"x-request-id": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    # An id that could forge log lines is replaced.
    assert client.get("/health", headers={"x-request-id": "a\nb"}).headers["x-request-id"] != "a\nb"


def test_the_access_log_names_the_route_never_the_content(client, caplog):
    secret = "Jeanne Dupont 06 12 34 56 78"
    with caplog.at_level(logging.INFO, logger="passerelle.access"):
        client.post(
            "/v1/cvs/parse?include_text=false",
            content=f"{secret}\nAide-soignante".encode(),
            headers={"content-type": "text/plain", "x-request-id": "cv-1"},
        )
        client.get("/v1/fiches/J1501")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "passerelle.access"]
    cv = next(line for line in lines if line["request_id"] == "cv-1")
    assert cv["route"] == "/v1/cvs/parse" and cv["status"] == 200 and cv["duration_ms"] >= 0
    assert any(line["route"] == "/v1/fiches/{code_rome}" for line in lines)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Dupont" not in logged and "include_text" not in logged and "J1501" not in logged


def test_metrics_count_requests_errors_and_stages(client):
    client.post("/v1/titles/resolve", json={"titles": [{"title": "Aide-soignant"}]})
    client.get("/v1/nothing-here")
    text = client.get("/metrics").text
    resolved = 'method="POST",route="/v1/titles/resolve",status="200"'
    assert f"passerelle_requests_total{{{resolved}}}" in text
    assert 'passerelle_errors_total{error="NotFound",route="unmatched"}' in text
    assert 'passerelle_stage_seconds_count{stage="titles.resolve"}' in text
    assert 'passerelle_cache_entries{cache="title_vectors"}' in text
    assert "passerelle_release{" in text
    assert 'passerelle_heavy_requests{state="in_flight"} 0.0' in text


def test_an_unexpected_error_is_a_500_in_the_shape_with_nothing_of_the_input(
    client, mini_core, monkeypatch, caplog
):
    def broken(*_args, **_kwargs):
        raise KeyError("Jeanne Dupont")

    monkeypatch.setattr(mini_core.titles, "resolve_many", broken)
    with caplog.at_level(logging.INFO):
        response = client.post("/v1/titles/resolve", json={"titles": [{"title": "x"}]})
    _shaped(response, 500, "InternalError")
    assert "Dupont" not in response.text
    assert "Dupont" not in "\n".join(r.getMessage() for r in caplog.records)
    assert any("KeyError" in r.getMessage() for r in caplog.records)
