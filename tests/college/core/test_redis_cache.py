"""The Redis cache keeps one client per connection pool (college/core/redis_cache.py).

No Redis server is needed: making a client does not connect.
"""

import redis

from college.core.redis_cache import RedisCache


def make_cache(location="redis://127.0.0.1:6379/15"):
    return RedisCache(location, {"KEY_PREFIX": "test"})


def test_every_operation_of_a_process_uses_the_same_client_of_the_same_pool():
    cache = make_cache()
    first = cache._cache.get_client("a", write=True)
    again = cache._cache.get_client("b", write=False)
    assert isinstance(first, redis.Redis)
    assert first is again
    assert first.connection_pool is cache._cache._get_connection_pool(True)


def test_each_server_keeps_its_own_client():
    # Writes go to the first server, reads to the others: one client per pool.
    cache = make_cache(["redis://127.0.0.1:6379/14", "redis://127.0.0.1:6379/15"])
    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client(write=False)
    assert writer is not reader
    assert reader is cache._cache.get_client(write=False)
    assert writer.connection_pool.connection_kwargs["db"] == 14
    assert reader.connection_pool.connection_kwargs["db"] == 15
