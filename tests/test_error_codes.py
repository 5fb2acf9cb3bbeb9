"""Every public error code is documented once, in the README's table, with the HTTP status the
service gives it."""

import re
from pathlib import Path

import indexing.errors as errors
from service.errors import _HTTP, STATUS

README = Path(__file__).resolve().parents[1] / "README.md"


def _documented() -> dict[str, int]:
    table = README.read_text(encoding="utf-8").split("## Errors", 1)[1].split("\n## ", 1)[0]
    out = {}
    for status, codes in re.findall(r"^\| (\d{3}) \| ([^|]+) \|", table, flags=re.M):
        for code in re.findall(r"`(\w+)`", codes):
            out[code] = int(status)
    return out


def test_every_code_is_in_the_readme_with_its_status():
    documented = _documented()
    classes = [
        c
        for c in vars(errors).values()
        if isinstance(c, type) and issubclass(c, errors.PasserelleError)
    ]
    for cls in classes:
        if cls is errors.PasserelleError:
            continue
        status = next(s for base, s in STATUS if issubclass(cls, base))
        assert documented.get(cls.code) == status, cls.__name__
    for status, code, _ in _HTTP.values():
        assert documented.get(code) == status, code
    assert documented["InternalError"] == 500


def test_codes_are_not_class_names_by_accident():
    # A subclass that only narrows the message keeps its parent's public code.
    assert errors.UnknownEncoder("x").code == "InvalidInput"
