"""The Python SDK against the running stack, through Envoy's internal gRPC
listener. KURT_GRPC and KURT_API_KEY (an admin key) come from
`eval "$(./kurt env)"`, which sdk/python/test.sh does."""

import os
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from kurt_sdk import KurtClient, KurtError

ADDRESS = os.environ.get("KURT_GRPC", "")
ADMIN_KEY = os.environ.get("KURT_API_KEY", "")

pytestmark = pytest.mark.skipif(not ADDRESS or not ADMIN_KEY, reason='needs KURT_GRPC and KURT_API_KEY: eval "$(./kurt env)"')


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def kurt():
    with KurtClient(ADDRESS, ADMIN_KEY) as admin:
        secret = admin.create_api_key(unique("sdk-py"), ["links:write", "links:read", "stats:read"]).secret
    with KurtClient(ADDRESS, secret) as client:
        yield client


def test_create_resolve_and_stats(kurt):
    code = unique("sdkpy")
    url = f"https://example.com/sdk/py/{code}"
    link = kurt.create_link(url, code=code, redirect_status=308, title="py", tags=["sdk"])
    assert link.code == code
    assert link.url == url
    assert link.redirect_status == 308
    assert link.short_url.endswith(f"/{code}")
    assert list(kurt.get_link(code).tags) == ["sdk"]

    resolved = kurt.resolve(code)
    assert resolved.url == url
    assert resolved.redirect_status == 308

    now = datetime.now(timezone.utc)
    deadline = time.monotonic() + 15
    while True:
        stats = kurt.get_link_stats(code, start=now - timedelta(hours=1), end=now + timedelta(hours=1), interval="hour")
        if stats.total >= 1 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert stats.code == code
    assert stats.total == 1
    assert sum(point.clicks for point in stats.series) == 1


def test_update_list_delete(kurt):
    code = unique("sdkpy")
    kurt.create_link("https://example.com/sdk/py/before", code=code, tags=["a"], expires_at=datetime.now(timezone.utc) + timedelta(days=1))
    updated = kurt.update_link(code, url="https://example.com/sdk/py/after", disabled=True, tags=[], clear_expires_at=True)
    assert updated.url == "https://example.com/sdk/py/after"
    assert updated.disabled
    assert list(updated.tags) == []
    assert not updated.HasField("expires_at")
    assert 1 <= len(kurt.list_links(page_size=5).links) <= 5
    kurt.delete_link(code)
    with pytest.raises(KurtError) as caught:
        kurt.get_link(code)
    assert caught.value.code == "not_found"


def test_batch_visit_cap_password_and_rules(kurt):
    code = unique("sdkpybatch")
    answer = kurt.batch_create_links(
        [
            {"url": f"https://example.com/sdk/py/{code}", "code": code, "max_visits": 1, "rules": [{"device": "ios", "url": "https://apps.apple.com/x"}]},
            {"url": "ftp://example.com/x"},
            {"url": "https://example.com/sdk/py/locked", "password": "py-secret"},
        ]
    )
    kinds = [result.WhichOneof("result") for result in answer.results]
    assert kinds == ["link", "error", "link"]
    capped, bad, locked = answer.results
    assert capped.link.max_visits == 1
    assert [rule.device for rule in capped.link.rules] == ["ios"]
    assert bad.error.code == 3 and "url" in bad.error.message
    assert locked.link.password_protected
    # A counted resolve takes the one visit; the next finds none left.
    assert kurt.resolve(code).url == f"https://example.com/sdk/py/{code}"
    with pytest.raises(KurtError) as gone:
        kurt.resolve(code)
    assert gone.value.code == "gone"
    assert kurt.get_link(code).visits == 1
    with pytest.raises(KurtError) as protected:
        kurt.resolve(locked.link.code)
    assert protected.value.code == "permission_denied"
    cleared = kurt.update_link(code, clear_max_visits=True, rules=[])
    assert not cleared.HasField("max_visits")
    assert list(cleared.rules) == []


def test_conflict_is_already_exists(kurt):
    code = unique("sdkpy")
    kurt.create_link("https://example.com/sdk/py/first", code=code)
    with pytest.raises(KurtError) as caught:
        kurt.create_link("https://example.com/sdk/py/second", code=code)
    assert caught.value.code == "already_exists"
    assert caught.value.field == "code"
    assert "code" in caught.value.message


def test_qr_code_is_an_image_of_the_short_url(kurt):
    code = kurt.create_link("https://example.com/sdk/py/qr").code
    png = kurt.get_link_qr_code(code, format="png", size=128)
    assert png.content_type == "image/png"
    assert png.data.startswith(b"\x89PNG")
    svg = kurt.get_link_qr_code(code)
    assert svg.content_type == "image/svg+xml"
    assert svg.data.startswith(b"<svg ")
    with pytest.raises(KurtError) as caught:
        kurt.get_link_qr_code(code, size=0)
    assert caught.value.code == "invalid_argument"
    assert caught.value.field == "size"


def test_bad_url_is_invalid_argument(kurt):
    with pytest.raises(KurtError) as caught:
        kurt.create_link("javascript:alert(1)")
    assert caught.value.code == "invalid_argument"
    assert caught.value.field == "url"
    assert "url" in caught.value.message


@pytest.fixture(scope="module")
def admin():
    """Domains need the admin scope: the admin key itself."""
    with KurtClient(ADDRESS, ADMIN_KEY) as client:
        yield client


def test_domains_hold_their_own_codes(admin):
    name = f"{unique('sdkpy')}.example.com"
    code = unique("sdkpy")
    try:
        created = admin.create_domain(name, root_redirect="https://example.com/sdk/py/root")
        assert created.domain == name
        assert created.root_redirect == "https://example.com/sdk/py/root"
        assert not created.is_default
        domains = admin.list_domains().domains
        assert domains[0].is_default
        assert name in [d.domain for d in domains]
        with pytest.raises(KurtError) as caught:
            admin.create_domain(name)
        assert caught.value.code == "already_exists"

        # The same code in the default domain and in this one: two links.
        admin.create_link("https://example.com/sdk/py/default", code=code)
        link = admin.create_link("https://example.com/sdk/py/domain", code=code, domain=name)
        assert link.domain == name
        assert admin.get_link(code, domain=name).url == "https://example.com/sdk/py/domain"
        assert admin.get_link(code).url == "https://example.com/sdk/py/default"
        assert [link.code for link in admin.list_links(page_size=10, domain=name).links] == [code]
        assert admin.get_link_stats(code, domain=name).code == code

        # Resolvers learn a new domain within a few seconds; until then the name means the default domain.
        deadline = time.monotonic() + 15
        while True:
            resolved = admin.resolve(code, count_click=False, domain=name)
            if resolved.url == "https://example.com/sdk/py/domain" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert resolved.url == "https://example.com/sdk/py/domain"

        updated = admin.update_domain(name, root_redirect="", not_found_redirect="https://example.com/sdk/py/404")
        assert not updated.HasField("root_redirect")
        assert updated.not_found_redirect == "https://example.com/sdk/py/404"

        # A domain that still holds a link cannot go; once the link is deleted it can.
        with pytest.raises(KurtError) as caught:
            admin.delete_domain(name)
        assert caught.value.code == "conflict"
        admin.delete_link(code, domain=name)
        assert admin.get_link(code).url == "https://example.com/sdk/py/default"
        assert admin.delete_domain(name).domain == name
    finally:
        # On failure, leave nothing behind (on success both are gone already).
        for cleanup in (lambda: admin.delete_link(code, domain=name), lambda: admin.delete_domain(name)):
            try:
                cleanup()
            except KurtError:
                pass


def test_wrong_key_is_unauthenticated():
    with KurtClient(ADDRESS, "kurt_not_a_real_key") as stranger, pytest.raises(KurtError) as caught:
        stranger.get_link("anything")
    assert caught.value.code == "unauthenticated"


def test_nothing_listening_is_unavailable_within_the_deadline():
    started = time.monotonic()
    with KurtClient("127.0.0.1:1", timeout=2.0) as nowhere, pytest.raises(KurtError) as caught:
        nowhere.get_link("x")
    assert caught.value.code == "unavailable"
    assert time.monotonic() - started < 2.5
