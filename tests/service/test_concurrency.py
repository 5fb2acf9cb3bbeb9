import asyncio

import httpx
from starlette.responses import PlainTextResponse

from service.concurrency import HeavyGate, HeavyLimits, HeavyRouteLimiter


def _app(release: asyncio.Event):
    async def app(scope, receive, send):
        if scope["path"] == "/heavy":
            await release.wait()
        await PlainTextResponse("done")(scope, receive, send)

    return app


def _run(limits: HeavyLimits, script):
    async def main():
        release = asyncio.Event()
        gate = HeavyGate(limits)
        limiter = HeavyRouteLimiter(_app(release), gate, ["/heavy"])
        transport = httpx.ASGITransport(app=limiter)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await script(client, release, gate)

    return asyncio.run(main())


async def _one_in_flight(client, gate):
    """A heavy request started and holding the only slot."""
    first = asyncio.create_task(client.post("/heavy"))
    while gate.in_flight == 0:
        await asyncio.sleep(0.001)
    return first


def test_past_the_limit_and_the_queue_a_heavy_request_gets_503_at_once():
    async def script(client, release, gate):
        first = await _one_in_flight(client, gate)
        refused = await client.post("/heavy")
        light = await client.get("/light")  # not a heavy route: never waits
        release.set()
        return (await first), refused, light

    first, refused, light = _run(HeavyLimits(limit=1, queue=0, wait_seconds=5), script)
    assert first.status_code == 200 and light.status_code == 200
    assert refused.status_code == 503
    assert refused.json()["error"] == "Busy" and int(refused.headers["retry-after"]) >= 1


def test_a_request_in_line_waits_its_turn_then_runs():
    async def script(client, release, gate):
        first = asyncio.create_task(client.post("/heavy"))
        second = asyncio.create_task(client.post("/heavy"))
        while gate.waiting == 0:
            await asyncio.sleep(0.001)
        release.set()
        return await first, await second, gate

    first, second, gate = _run(HeavyLimits(limit=1, queue=4, wait_seconds=5), script)
    assert first.status_code == second.status_code == 200
    assert gate.in_flight == gate.waiting == 0


def test_a_request_that_waits_too_long_gets_503():
    async def script(client, release, gate):
        first = await _one_in_flight(client, gate)
        late = await client.post("/heavy")
        release.set()
        await first
        return late

    late = _run(HeavyLimits(limit=1, queue=4, wait_seconds=0.05), script)
    assert late.status_code == 503 and "retry" in late.json()["message"]
