"""Schemathesis over every operation of /openapi.json: whatever a client sends, the reply is
no server error, has a documented status and content type, and conforms to its schema."""

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 30  # per operation; derandomised, so a run is repeatable


@pytest.fixture(scope="module")
def api_schema(mini_settings, mini_core, mini_emerging):
    settings_on = mini_settings.model_copy(update={"emerging": True})
    app = create_app(settings_on, loader=lambda _s: mini_core)
    # Loaded as the lifespan would: the fuzzer's client may not run it.
    app.state.core = mini_core
    app.state.emerging = mini_emerging
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_documented(api_schema, mode):
    operations = _operations(api_schema)
    assert len(operations) >= 20
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case):
            response = case.call_and_validate(checks=CHECKS)
            statuses[response.status_code // 100] += 1

        try:
            check()
        except Unsatisfiable:  # no parameter to get wrong (GET /health in negative mode)
            continue
        except Exception as exc:  # keep going: one report for every operation
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    assert not failures, "\n\n".join(failures)
    # The fuzzer reached the endpoints: valid cases succeed (unknown codes of the tiny
    # referential are 404s), invalid ones are refused.
    assert statuses[2 if mode is GenerationMode.POSITIVE else 4] > len(operations), statuses
