import pytest
from django.core.cache import cache

from training.cache import FailsafeRedisCache


def dead_cache() -> FailsafeRedisCache:
    return FailsafeRedisCache(
        "redis://127.0.0.1:9/0", {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    )


def test_a_redis_outage_reads_as_a_miss_and_writes_are_dropped():
    broken = dead_cache()
    broken.set("key", "value")
    assert broken.get("key", "fallback") == "fallback"
    assert broken.get_many(["a", "b"]) == {}
    assert broken.add("key", "value") is False
    assert broken.incr("counter", 1) == 1


def test_after_a_failure_redis_is_skipped_for_a_while(monkeypatch):
    broken = dead_cache()
    assert broken.get("key") is None
    calls = []
    monkeypatch.setattr("django.core.cache.backends.redis.RedisCacheClient.get", lambda *a: calls.append(a))
    assert broken.get("key") is None
    assert calls == []  # the circuit is open: no new connection attempt


@pytest.mark.scaleout
def test_the_cache_stores_values_in_redis():
    from django.conf import settings
    from redis import Redis

    cache.set("thai-greeting", "สวัสดี", 60)
    assert cache.get("thai-greeting") == "สวัสดี"
    client = Redis.from_url(settings.REDIS_URL)
    assert any(b"thai-greeting" in key for key in client.keys("*"))
