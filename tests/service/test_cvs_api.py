import logging

import pytest

from evaluation.cvs.render import write_docx, write_pdf
from models.cv.reading import DOCX_TYPE
from tests.models.cv.conftest import MINI_CV


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cvs")
    write_pdf(MINI_CV, folder / "cv.pdf", two_columns=True)
    write_docx(MINI_CV, folder / "cv.docx", two_columns=False)
    return {"pdf": (folder / "cv.pdf").read_bytes(), "docx": (folder / "cv.docx").read_bytes()}


def _check(body):
    assert body["experiences"][0]["job"]["candidates"][0]["fiche"]["code_rome"] == "J1501"
    assert body["experiences"][1]["months"] == 48
    found = {i["code_ogr"]: i for kind in body["found"].values() for i in kind}
    assert found["100003"]["sources"] == ["experience[1]"]
    span = found["100003"]["spans"][0]
    assert body["text"][span["start"] : span["end"]] == span["text"]
    assert [lic["category"] for lic in body["driving_licences"]] == ["C"]
    assert {s["type"] for s in body["sections"]} >= {"experience", "education", "languages"}


def test_multipart_upload_raw_body_and_json_text(client, files):
    response = client.post(
        "/v1/cvs/parse", files={"file": ("cv.pdf", files["pdf"], "application/pdf")}
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.json()["format"] == "pdf"
    _check(response.json())

    raw = client.post("/v1/cvs/parse", content=files["docx"], headers={"content-type": DOCX_TYPE})
    assert raw.status_code == 200 and raw.json()["format"] == "docx"
    _check(raw.json())

    text = raw.json()["text"]
    as_json = client.post("/v1/cvs/parse?include_text=false", json={"text": text})
    assert as_json.status_code == 200
    assert as_json.json()["text"] is None and as_json.json()["format"] == "text"


@pytest.mark.parametrize(
    ("content", "content_type", "status", "message"),
    [
        (b"\x89PNG\r\n", "image/png", 415, "OCR"),
        (b"", "application/pdf", 422, "empty"),
        (b"%PDF-1.4 broken", "application/pdf", 422, "corrupt"),
        (b'{"txt": "x"}', "application/json", 422, '{"text"'),
        (b"not json", "application/json", 422, '{"text"'),
        (b"x" * (4 * 1024 * 1024 + 10), "text/plain", 413, "MiB"),
    ],
)
def test_bad_uploads_get_4xx_with_a_message(client, content, content_type, status, message):
    response = client.post("/v1/cvs/parse", content=content, headers={"content-type": content_type})
    assert response.status_code == status
    assert message in response.json()["message"]


def test_multipart_without_file_field(client):
    response = client.post("/v1/cvs/parse", files={"photo": ("a.png", b"x", "image/png")})
    assert response.status_code == 422
    assert "'file'" in response.json()["message"]


def test_nothing_of_the_cv_reaches_the_logs(client, files, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "Zéphyrine Quintal-Secret"
    text = f"{secret}\nAide-soignante\nExpériences\n2019 – 2021 Aide-soignante, Hôpital\n"
    assert client.post("/v1/cvs/parse", json={"text": text}).status_code == 200
    assert client.post("/v1/cvs/parse", json={"text": secret + "x" * 60_000}).status_code == 413
    assert secret not in caplog.text
