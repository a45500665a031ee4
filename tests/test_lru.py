"""marsad.lru.LRUCache: compute once, evict the least recently used, get/put/discard."""

from marsad.lru import LRUCache


def test_get_or_compute_computes_once_and_evicts_the_least_recently_used():
    cache = LRUCache(2)
    calls = []
    for key in ("a", "b", "a", "c", "b"):
        cache.get_or_compute(key, lambda k=key: calls.append(k) or k.upper())
    # "a" was used after "b", so "c" pushed out "b", which is computed again
    assert calls == ["a", "b", "c", "b"]
    assert (cache.hits, cache.misses) == (1, 4)


def test_get_put_discard():
    cache = LRUCache(2)
    assert cache.get("x", "none") == "none"
    cache.put("x", 1)
    cache.put("y", 2)
    assert cache.get("x") == 1  # x is now the most recently used
    cache.put("z", 3)
    assert cache.get("y") is None and cache.get("x") == 1 and cache.get("z") == 3
    cache.discard("x")
    cache.discard("never-there")
    assert cache.get("x") is None
    assert (cache.hits, cache.misses) == (0, 0)  # get and put count nothing
