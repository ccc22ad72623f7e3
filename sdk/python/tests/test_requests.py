"""The client against an in-process gRPC server that records what it is sent:
what each call puts in its request is under test, not Kurt. Needs no stack."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from concurrent import futures

import grpc
import pytest
from google.api import httpbody_pb2
from google.protobuf import json_format

from kurt_sdk import CODES, KurtClient, KurtError
from kurt_sdk._gen.kurt.v1 import (
    api_key_service_pb2,
    domain_service_pb2,
    domain_service_pb2_grpc,
    link_pb2,
    link_service_pb2,
    link_service_pb2_grpc,
    resolver_service_pb2,
    resolver_service_pb2_grpc,
    stats_service_pb2,
    stats_service_pb2_grpc,
)
from kurt_sdk.errors import from_rpc_error

DOMAIN = domain_service_pb2.Domain(domain="go.example.com", root_redirect="https://example.com/")


class Recorder:
    """Every request by method; ``failures[method]`` are status codes to answer first, in order."""

    def __init__(self):
        self.requests: dict[str, list] = {}
        self.failures: dict[str, list[grpc.StatusCode]] = {}

    def record(self, method: str, request, context: grpc.ServicerContext) -> None:
        self.requests.setdefault(method, []).append(request)
        queue = self.failures.get(method) or []
        if queue:
            context.abort(queue.pop(0), f"{method} failed")

    def last(self, method: str):
        assert self.requests.get(method), f"{method} was not called"
        return self.requests[method][-1]


def _servicer(base, recorder: Recorder, answers: dict):
    """A servicer of ``base`` whose every RPC records its request and answers ``answers[name]``."""

    def method(name: str):
        def handle(_self, request, context):
            recorder.record(name, request, context)
            return answers[name]

        return handle

    return type(f"Fake{base.__name__}", (base,), {name: method(name) for name in answers})()


@pytest.fixture
def fake():
    recorder = Recorder()
    link = link_pb2.Link(code="launch", domain="go.example.com")
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    link_service_pb2_grpc.add_LinkServiceServicer_to_server(
        _servicer(
            link_service_pb2_grpc.LinkServiceServicer,
            recorder,
            {
                "CreateLink": link,
                "BatchCreateLinks": link_service_pb2.BatchCreateLinksResponse(
                    results=[
                        link_service_pb2.BatchCreateLinkResult(link=link_pb2.Link(code="one")),
                        link_service_pb2.BatchCreateLinkResult(
                            error=link_service_pb2.BatchCreateLinkError(code=6, message='code: "two" is already taken')
                        ),
                        link_service_pb2.BatchCreateLinkResult(link=link_pb2.Link(code="three", max_visits=5)),
                    ]
                ),
                "GetLink": link,
                "ListLinks": link_service_pb2.ListLinksResponse(links=[link]),
                "UpdateLink": link,
                "DeleteLink": link_service_pb2.DeleteLinkResponse(),
                "GetLinkQrCode": httpbody_pb2.HttpBody(content_type="image/svg+xml", data=b"<svg />"),
            },
        ),
        server,
    )
    resolver_service_pb2_grpc.add_ResolverServiceServicer_to_server(
        _servicer(
            resolver_service_pb2_grpc.ResolverServiceServicer,
            recorder,
            {"Resolve": resolver_service_pb2.ResolveResponse(url="https://example.com/", redirect_status=302)},
        ),
        server,
    )
    stats_service_pb2_grpc.add_StatsServiceServicer_to_server(
        _servicer(stats_service_pb2_grpc.StatsServiceServicer, recorder, {"GetLinkStats": stats_service_pb2.Stats(code="launch")}),
        server,
    )
    domain_service_pb2_grpc.add_DomainServiceServicer_to_server(
        _servicer(
            domain_service_pb2_grpc.DomainServiceServicer,
            recorder,
            {
                "CreateDomain": DOMAIN,
                "ListDomains": domain_service_pb2.ListDomainsResponse(domains=[DOMAIN]),
                "UpdateDomain": DOMAIN,
                "DeleteDomain": DOMAIN,
            },
        ),
        server,
    )
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        with KurtClient(f"127.0.0.1:{port}", "kurt_test", initial_backoff=0.001, max_backoff=0.002) as client:
            yield client, recorder
    finally:
        server.stop(None)


def test_the_domain_option_reaches_every_link_call_stats_and_resolve(fake):
    kurt, recorded = fake
    d = "go.example.com"
    kurt.create_link("https://example.com/", code="launch", domain=d)
    kurt.get_link("launch", domain=d)
    kurt.list_links(page_size=5, domain=d)
    kurt.update_link("launch", disabled=True, domain=d)
    kurt.delete_link("launch", domain=d)
    kurt.get_link_qr_code("launch", format="png", domain=d)
    kurt.get_link_stats("launch", interval="day", domain=d)
    kurt.resolve("launch", count_click=False, domain=d)
    for method in ("CreateLink", "GetLink", "ListLinks", "UpdateLink", "DeleteLink", "GetLinkQrCode", "GetLinkStats", "Resolve"):
        request = recorded.last(method)
        assert request.HasField("domain") and request.domain == d, method


def test_without_the_option_no_domain_is_sent(fake):
    kurt, recorded = fake
    kurt.create_link("https://example.com/")
    kurt.get_link("launch")
    kurt.list_links()
    kurt.delete_link("launch")
    kurt.resolve("launch")
    kurt.get_link_stats("launch")
    for method in ("CreateLink", "GetLink", "ListLinks", "DeleteLink", "Resolve", "GetLinkStats"):
        assert not recorded.last(method).HasField("domain"), method


def test_schedule_cache_and_query_options_reach_create_and_update(fake):
    kurt, recorded = fake
    start = datetime(2031, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    kurt.create_link("https://example.com/", cache_seconds=60, valid_since=start, forward_query=True)
    created = recorded.last("CreateLink")
    assert created.cache_seconds == 60 and created.forward_query is True
    assert created.valid_since.ToDatetime(tzinfo=timezone.utc) == start
    kurt.update_link("launch", clear_valid_since=True, forward_query=False)
    updated = recorded.last("UpdateLink")
    assert updated.clear_valid_since is True
    assert updated.HasField("forward_query") and updated.forward_query is False
    assert not updated.HasField("valid_since")
    kurt.create_link("https://example.com/")
    assert not recorded.last("CreateLink").HasField("forward_query")


RULES = [
    {"device": "ios", "url": "https://apps.apple.com/app/id0"},
    {"country": "DE", "language": "de", "url": "https://example.com/de"},
    {"query": {"name": "ref"}, "url": "https://example.com/ref"},
    {"query": {"name": "utm_source", "value": "mail"}, "url": "https://example.com/mail"},
]


def test_create_sends_the_cap_the_password_and_the_rules_in_order(fake):
    kurt, recorded = fake
    kurt.create_link("https://example.com/", max_visits=100, password="open sesame", rules=RULES)
    created = recorded.last("CreateLink")
    assert created.HasField("max_visits") and created.max_visits == 100
    assert created.HasField("password") and created.password == "open sesame"
    assert [json_format.MessageToDict(rule) for rule in created.rules] == RULES
    # A condition not given stays unset, not "".
    assert not created.rules[0].HasField("country") and not created.rules[0].HasField("query")
    assert not created.rules[2].query.HasField("value")


def test_rules_may_be_messages_and_a_mapping_that_is_no_rule_is_refused_before_sending(fake):
    kurt, recorded = fake
    rule = link_pb2.RedirectRule(device="android", url="https://play.google.com/store/apps/details?id=kurt")
    kurt.create_link("https://example.com/", rules=[rule])
    assert list(recorded.last("CreateLink").rules) == [rule]
    with pytest.raises(KurtError) as caught:
        kurt.create_link("https://example.com/", rules=[{"device": "ios", "target": "https://example.com/"}])
    assert caught.value.code == "invalid_argument" and caught.value.field == "rules"
    assert caught.value.message.startswith("rules[0]: ") and '"target"' in caught.value.message
    with pytest.raises(KurtError) as caught:
        kurt.create_link("https://example.com/", rules=["ios"])
    assert caught.value.message.startswith("rules[0]: must be a RedirectRule or a mapping")
    assert len(recorded.requests["CreateLink"]) == 1


def test_create_without_the_new_arguments_sends_no_cap_no_password_and_no_rules(fake):
    kurt, recorded = fake
    kurt.create_link("https://example.com/")
    created = recorded.last("CreateLink")
    assert not created.HasField("max_visits") and not created.HasField("password") and list(created.rules) == []


def test_update_sends_the_cap_the_password_and_the_rules_as_plain_objects(fake):
    kurt, recorded = fake
    rules = [RULES[3], link_pb2.RedirectRule(device="desktop", url="https://example.com/desktop")]
    kurt.update_link("launch", max_visits=10, password="new secret", rules=rules)
    updated = recorded.last("UpdateLink")
    assert updated.max_visits == 10 and updated.clear_max_visits is False
    assert updated.password == "new secret"
    # A google.protobuf.ListValue of the rules' JSON objects, in order.
    assert json_format.MessageToDict(updated.rules) == [RULES[3], {"device": "desktop", "url": "https://example.com/desktop"}]


def test_update_removes_the_cap_the_password_and_the_rules(fake):
    kurt, recorded = fake
    kurt.update_link("launch", clear_max_visits=True, password="", rules=[])
    updated = recorded.last("UpdateLink")
    assert updated.clear_max_visits is True and not updated.HasField("max_visits")
    # "" and [] are sent, not dropped: they remove.
    assert updated.HasField("password") and updated.password == ""
    assert updated.HasField("rules") and len(updated.rules.values) == 0
    kurt.update_link("launch", title="Launch")
    untouched = recorded.last("UpdateLink")
    assert not untouched.HasField("max_visits") and untouched.clear_max_visits is False
    assert not untouched.HasField("password") and not untouched.HasField("rules")


def test_batch_create_sends_every_item_in_order_and_answers_one_result_each(fake):
    kurt, recorded = fake
    answer = kurt.batch_create_links(
        [
            {"url": "https://example.com/1", "code": "one", "tags": ["batch"]},
            {"url": "https://example.com/2", "code": "two"},
            {"url": "https://example.com/3", "code": "three", "max_visits": 5, "domain": "go.example.com", "rules": RULES[:1]},
        ]
    )
    sent = recorded.last("BatchCreateLinks").links
    assert [(item.url, item.code) for item in sent] == [
        ("https://example.com/1", "one"),
        ("https://example.com/2", "two"),
        ("https://example.com/3", "three"),
    ]
    assert list(sent[0].tags) == ["batch"] and not sent[1].HasField("max_visits")
    assert sent[2].max_visits == 5 and sent[2].domain == "go.example.com"
    assert [json_format.MessageToDict(rule) for rule in sent[2].rules] == RULES[:1]
    # The answer as the server sent it: links and errors mixed, in order.
    assert [result.WhichOneof("result") for result in answer.results] == ["link", "error", "link"]
    assert answer.results[0].link.code == "one"
    assert (answer.results[1].error.code, answer.results[1].error.message) == (6, 'code: "two" is already taken')
    assert answer.results[2].link.max_visits == 5


def test_batch_create_names_the_item_of_a_bad_rule_and_sends_nothing(fake):
    kurt, recorded = fake
    with pytest.raises(KurtError) as caught:
        kurt.batch_create_links([{"url": "https://example.com/1"}, {"url": "https://example.com/2", "rules": [{"os": "ios"}]}])
    assert caught.value.code == "invalid_argument" and caught.value.field == "links[1].rules"
    assert caught.value.message.startswith("links[1].rules[0]: ")
    assert "BatchCreateLinks" not in recorded.requests


def test_batch_create_is_never_retried(fake):
    kurt, recorded = fake
    recorded.failures["BatchCreateLinks"] = [grpc.StatusCode.UNAVAILABLE]
    with pytest.raises(KurtError) as caught:
        kurt.batch_create_links([{"url": "https://example.com/"}])
    assert caught.value.code == "unavailable"
    assert len(recorded.requests["BatchCreateLinks"]) == 1


def test_domain_calls_send_their_fields(fake):
    kurt, recorded = fake
    assert kurt.create_domain("go.example.com", root_redirect="https://example.com/").domain == "go.example.com"
    created = recorded.last("CreateDomain")
    assert created.root_redirect == "https://example.com/" and not created.HasField("not_found_redirect")
    assert [d.domain for d in kurt.list_domains().domains] == ["go.example.com"]
    kurt.update_domain("go.example.com", root_redirect="", not_found_redirect="https://example.com/404")
    updated = recorded.last("UpdateDomain")
    # "" is sent, not dropped: it removes the redirect.
    assert updated.HasField("root_redirect") and updated.root_redirect == ""
    assert updated.not_found_redirect == "https://example.com/404"
    assert kurt.delete_domain("go.example.com").domain == "go.example.com"
    assert recorded.last("DeleteDomain").domain == "go.example.com"


def test_list_domains_is_retried_domain_writes_are_not(fake):
    kurt, recorded = fake
    recorded.failures["ListDomains"] = [grpc.StatusCode.UNAVAILABLE]
    kurt.list_domains()
    assert len(recorded.requests["ListDomains"]) == 2
    recorded.failures["CreateDomain"] = [grpc.StatusCode.UNAVAILABLE]
    with pytest.raises(KurtError) as caught:
        kurt.create_domain("go.example.com")
    assert caught.value.code == "unavailable"
    assert len(recorded.requests["CreateDomain"]) == 1


def test_a_domain_that_holds_links_is_a_conflict(fake):
    kurt, recorded = fake
    recorded.failures["DeleteDomain"] = [grpc.StatusCode.ABORTED]
    with pytest.raises(KurtError) as caught:
        kurt.delete_domain("go.example.com")
    assert caught.value.code == "conflict"
    assert caught.value.status == grpc.StatusCode.ABORTED


class _RpcError(grpc.RpcError):
    def __init__(self, code: grpc.StatusCode, trailers=()):
        self._code, self._trailers = code, trailers

    def code(self):
        return self._code

    def details(self):
        return "from the server"

    def trailing_metadata(self):
        return self._trailers


def test_codes_read_back_from_trailers_or_status():
    assert "conflict" in CODES
    assert from_rpc_error(_RpcError(grpc.StatusCode.ABORTED, (("x-kurt-error-code", "conflict"), ("x-kurt-error-field", "domain")))).field == "domain"
    read = {
        grpc.StatusCode.INVALID_ARGUMENT: "invalid_argument",
        grpc.StatusCode.UNAUTHENTICATED: "unauthenticated",
        grpc.StatusCode.PERMISSION_DENIED: "permission_denied",
        grpc.StatusCode.NOT_FOUND: "not_found",
        grpc.StatusCode.ALREADY_EXISTS: "already_exists",
        grpc.StatusCode.ABORTED: "conflict",
        grpc.StatusCode.FAILED_PRECONDITION: "gone",
        grpc.StatusCode.RESOURCE_EXHAUSTED: "resource_exhausted",
        grpc.StatusCode.UNAVAILABLE: "unavailable",
        grpc.StatusCode.DATA_LOSS: "internal",
    }
    for status, code in read.items():
        assert from_rpc_error(_RpcError(status)).code == code, status


def _snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_the_client_covers_every_rpc():
    """Every RPC of the services the SDK wraps has a method of the client, in snake_case."""
    services = [
        link_service_pb2.DESCRIPTOR.services_by_name["LinkService"],
        resolver_service_pb2.DESCRIPTOR.services_by_name["ResolverService"],
        stats_service_pb2.DESCRIPTOR.services_by_name["StatsService"],
        api_key_service_pb2.DESCRIPTOR.services_by_name["ApiKeyService"],
        domain_service_pb2.DESCRIPTOR.services_by_name["DomainService"],
    ]
    missing = [f"{s.name}/{m.name}" for s in services for m in s.methods if not callable(getattr(KurtClient, _snake_case(m.name), None))]
    assert missing == []
