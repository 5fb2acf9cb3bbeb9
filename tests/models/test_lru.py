import threading

from models.lru import LRU, private


def test_least_recently_used_goes_first():
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now the oldest
    cache.put("c", 3)
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3


def test_what_is_learnt_in_private_is_dropped_at_the_end():
    cache: LRU[str, int] = LRU(8)
    cache.put("shared", 1)
    with private():
        cache.put("secret", 2)
        assert cache.get("secret") == 2 and "secret" in cache
        assert cache.get("shared") == 1  # shared entries are still read
    assert cache.get("secret") is None and "secret" not in cache and len(cache) == 1


def test_threads_share_it_without_errors():
    cache: LRU[int, int] = LRU(16)
    errors: list[BaseException] = []

    def work(seed: int) -> None:
        try:
            for i in range(3_000):
                key = (i * seed) % 40
                if cache.get(key) is None:
                    cache.put(key, i)
        except BaseException as exc:  # any error fails the test
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in (1, 3, 7, 11)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(cache) <= 16


def test_a_bounded_cache_empties_when_full_and_keeps_private_things_private():
    from models.lru import BoundedCache

    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1 and len(cache) == 2
    cache.put("c", 3)  # full: starts again
    assert cache.get("a") is None and cache.get("c") == 3 and len(cache) == 1
    with private():
        cache.put("secret", 4)
        assert cache.get("secret") == 4 and cache.get("c") == 3
    assert cache.get("secret") is None and len(cache) == 1
