import resource
import time

import pytest

from evaluation.load import hostile
from indexing.errors import InputTooLarge, InvalidInput
from models.cv.isolation import IsolatedReader, IsolationLimits, MiB
from models.cv.limits import MAX_PAGE_CHARS
from models.cv.reading import DocFormat, read_document


@pytest.fixture(scope="module")
def reader():
    pool = IsolatedReader(IsolationLimits(workers=1))
    pool.start()
    yield pool
    pool.close()


def _timed(call):
    started = time.monotonic()
    try:
        call()
    except (InputTooLarge, InvalidInput) as exc:
        return exc, time.monotonic() - started
    raise AssertionError("no error raised")


def test_a_worker_reads_a_pdf_and_says_what_is_wrong(reader):
    assert reader.read(hostile.one_line(), DocFormat.PDF).text == "Aide-soignante"
    with pytest.raises(InvalidInput, match="corrupt"):
        reader.read(b"%PDF-1.4 broken", DocFormat.PDF)
    assert reader.read(hostile.one_line("Cariste"), DocFormat.PDF).text == "Cariste"


@pytest.mark.parametrize(
    "bomb",
    [
        hostile.overlapping_runs(1_000_000),  # 3.6 kB
        hostile.overlapping_runs(20_000_000),  # 60 kB
        hostile.runs_along_a_line(MAX_PAGE_CHARS // 10),
        hostile.many_paths(1_000_000),
    ],
    ids=["1MB-at-one-spot", "20MB-at-one-spot", "along-a-line", "paths"],
)
def test_page_bombs_are_refused_fast_and_the_worker_reads_on(reader, bomb):
    error, seconds = _timed(lambda: reader.read(bomb, DocFormat.PDF))
    assert isinstance(error, InputTooLarge)
    assert seconds < 5
    assert reader.read(hostile.one_line(), DocFormat.PDF).text == "Aide-soignante"


def test_the_page_limits_hold_in_process_too():
    with pytest.raises(InputTooLarge, match="more than a CV page"):
        read_document(hostile.overlapping_runs(1_000_000), DocFormat.PDF)


def test_a_worker_out_of_time_is_killed_and_replaced():
    slow = IsolatedReader(IsolationLimits(workers=1, wall_seconds=0.001))
    try:
        error, seconds = _timed(lambda: slow.read(hostile.one_line(), DocFormat.PDF))
        assert isinstance(error, InputTooLarge) and "CPU" in str(error)
        assert seconds < 5
    finally:
        slow.close()
    patient = IsolatedReader(IsolationLimits(workers=1))
    try:
        assert patient.read(hostile.one_line(), DocFormat.PDF).text == "Aide-soignante"
    finally:
        patient.close()


def test_a_worker_over_its_memory_gives_up_and_the_parent_is_untouched():
    small = IsolatedReader(IsolationLimits(workers=1, memory_bytes=300 * MiB))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        error, _ = _timed(lambda: small.read(hostile.inflating_content(600 * MiB), DocFormat.PDF))
        assert isinstance(error, InputTooLarge)
        assert small.read(hostile.one_line(), DocFormat.PDF).text == "Aide-soignante"
    finally:
        small.close()
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB


def test_plain_text_needs_no_worker(reader):
    assert reader.read(b"Cariste", DocFormat.TEXT).text == "Cariste"
    assert reader.busy == 0
