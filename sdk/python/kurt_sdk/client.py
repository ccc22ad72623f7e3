"""KurtClient: a typed client for every Kurt RPC, over the code generated
from proto/ (kurt_sdk._gen; never edit it, run `npm run generate`)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar, Union

import grpc
from google.api import httpbody_pb2
from google.protobuf import json_format, struct_pb2, timestamp_pb2

from ._gen.kurt.v1 import (
    api_key_service_pb2,
    api_key_service_pb2_grpc,
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
from .errors import KurtError, from_rpc_error

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 5.0
_INTERVALS = {None: stats_service_pb2.STATS_INTERVAL_UNSPECIFIED, "hour": stats_service_pb2.HOUR, "day": stats_service_pb2.DAY}


# A redirect rule: a link_pb2.RedirectRule, or its JSON form as a mapping,
# {"device"?, "country"?, "language"?, "query"?: {"name", "value"?}, "url"}.
Rule = Union[link_pb2.RedirectRule, Mapping[str, Any]]


def _timestamp(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value)
    return stamp


def _rule_message(rule: Rule, index: int) -> link_pb2.RedirectRule:
    if isinstance(rule, link_pb2.RedirectRule):
        return rule
    if not isinstance(rule, Mapping):
        reason = f'must be a RedirectRule or a mapping such as {{"device": "ios", "url": "https://…"}}, got {rule!r}'
        raise KurtError("invalid_argument", f"rules[{index}]: {reason}", "rules")
    try:
        return json_format.ParseDict(rule, link_pb2.RedirectRule())
    except (json_format.ParseError, AttributeError, TypeError) as error:
        # One line: protobuf's message lists the fields on a second one.
        reason = " ".join(str(error).split())
        raise KurtError("invalid_argument", f"rules[{index}]: {reason}", "rules") from None


def _rules(rules: Iterable[Rule]) -> list[link_pb2.RedirectRule]:
    return [_rule_message(rule, index) for index, rule in enumerate(rules)]


def _rule_list(rules: Iterable[Rule]) -> struct_pb2.ListValue:
    """UpdateLink takes the rules as a google.protobuf.ListValue (so that an
    empty list can remove them): the rules' JSON objects, unset conditions left out."""
    values = struct_pb2.ListValue()
    values.extend([json_format.MessageToDict(rule) for rule in _rules(rules)])
    return values


def _create_request(
    url: str,
    *,
    code: str | None = None,
    redirect_status: int | None = None,
    expires_at: datetime | None = None,
    title: str | None = None,
    tags: Iterable[str] = (),
    domain: str | None = None,
    cache_seconds: int | None = None,
    valid_since: datetime | None = None,
    forward_query: bool | None = None,
    max_visits: int | None = None,
    password: str | None = None,
    rules: Iterable[Rule] = (),
) -> link_service_pb2.CreateLinkRequest:
    return link_service_pb2.CreateLinkRequest(
        url=url,
        code=code,
        redirect_status=redirect_status,
        expires_at=_timestamp(expires_at),
        cache_seconds=cache_seconds,
        valid_since=_timestamp(valid_since),
        forward_query=forward_query,
        max_visits=max_visits,
        password=password,
        rules=_rules(rules),
        title=title,
        tags=list(tags),
        domain=domain,
    )


class KurtClient:
    """``KurtClient("127.0.0.1:24081", api_key)``. The key goes as
    ``authorization: Bearer …`` on every call; each call has a deadline
    (``timeout`` seconds, retries included); reads (get, list, resolve,
    stats, QR codes, list_domains) are retried with backoff on UNAVAILABLE,
    writes never are. Every failure raises KurtError. Use it as a context
    manager, or close().

    Links live under domains: a call that names a link by its code takes
    ``domain="go.example.com"`` for a domain other than the default one."""

    def __init__(
        self,
        address: str,
        api_key: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_attempts: int = 4,
        initial_backoff: float = 0.05,
        max_backoff: float = 1.0,
        channel: grpc.Channel | None = None,
    ):
        self._channel = channel or grpc.insecure_channel(address)
        self._metadata = (("authorization", f"Bearer {api_key}"),) if api_key else ()
        self._timeout = timeout
        self._max_attempts = max_attempts
        self._initial_backoff = initial_backoff
        self._max_backoff = max_backoff
        self._links = link_service_pb2_grpc.LinkServiceStub(self._channel)
        self._keys = api_key_service_pb2_grpc.ApiKeyServiceStub(self._channel)
        self._resolver = resolver_service_pb2_grpc.ResolverServiceStub(self._channel)
        self._stats = stats_service_pb2_grpc.StatsServiceStub(self._channel)
        self._domains = domain_service_pb2_grpc.DomainServiceStub(self._channel)

    def __enter__(self) -> KurtClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._channel.close()

    def _call(self, method: Callable[..., T], request: object, *, safe_to_repeat: bool, extra: Iterable[tuple[str, str]] = ()) -> T:
        deadline = time.monotonic() + self._timeout
        attempts = self._max_attempts if safe_to_repeat else 1
        metadata = (*self._metadata, *extra)
        for attempt in range(1, attempts + 1):
            try:
                return method(request, metadata=metadata, timeout=max(0.0, deadline - time.monotonic()))
            except grpc.RpcError as error:
                # Full jitter: clients that failed together do not retry together.
                wait = random.uniform(0, min(self._max_backoff, self._initial_backoff * 2 ** (attempt - 1)))
                retry = attempt < attempts and error.code() == grpc.StatusCode.UNAVAILABLE
                if not retry or time.monotonic() + wait >= deadline:
                    raise from_rpc_error(error) from None
                time.sleep(wait)
        raise AssertionError("unreachable")

    # Links

    def create_link(
        self,
        url: str,
        *,
        code: str | None = None,
        redirect_status: int | None = None,
        expires_at: datetime | None = None,
        title: str | None = None,
        tags: Iterable[str] = (),
        domain: str | None = None,
        cache_seconds: int | None = None,
        valid_since: datetime | None = None,
        forward_query: bool | None = None,
        max_visits: int | None = None,
        password: str | None = None,
        rules: Iterable[Rule] = (),
    ) -> link_pb2.Link:
        """``domain``: a configured domain's name; None (default) means the default domain.
        ``valid_since``: before it the link answers 404; ``forward_query``: add the visitor's query to the target's.
        ``max_visits``: after that many human visits the link answers 410. ``password`` (4 to 128 characters, never
        returned): visitors give it in a form first. ``rules``: checked in order on each visit, the first whose
        conditions all hold gives the target (``link_pb2.RedirectRule`` or mappings such as
        ``{"device": "ios", "url": "https://…"}``; a mapping that is no rule raises KurtError ``invalid_argument``)."""
        request = _create_request(
            url,
            code=code,
            redirect_status=redirect_status,
            expires_at=expires_at,
            title=title,
            tags=tags,
            domain=domain,
            cache_seconds=cache_seconds,
            valid_since=valid_since,
            forward_query=forward_query,
            max_visits=max_visits,
            password=password,
            rules=rules,
        )
        return self._call(self._links.CreateLink, request, safe_to_repeat=False)

    def batch_create_links(self, links: Iterable[Mapping[str, Any]]) -> link_service_pb2.BatchCreateLinksResponse:
        """Creates up to 1,000 links in one call; each item is a mapping of create_link's arguments
        (``{"url": …, "code": …, "rules": […]}``). The answer's ``results`` hold one result per item, in order:
        ``result.WhichOneof("result")`` is ``"link"`` (the stored Link) or ``"error"`` (``code``, the gRPC status
        number, and ``message``). A bad item does not fail the call: KurtError is raised only for the call as a
        whole (more than 1,000 links, a bad key, the rate limit). Never retried, like every write."""
        items = []
        for index, item in enumerate(links):
            try:
                items.append(_create_request(**item))
            except KurtError as error:
                raise KurtError(error.code, f"links[{index}].{error.message}", f"links[{index}].{error.field}") from None
        request = link_service_pb2.BatchCreateLinksRequest(links=items)
        return self._call(self._links.BatchCreateLinks, request, safe_to_repeat=False)

    def get_link(self, code: str, *, domain: str | None = None) -> link_pb2.Link:
        request = link_service_pb2.GetLinkRequest(code=code, domain=domain)
        return self._call(self._links.GetLink, request, safe_to_repeat=True)

    def list_links(
        self,
        page_size: int = 0,
        page_token: str = "",
        *,
        domain: str | None = None,
        query: str | None = None,
        tag: str | None = None,
    ) -> link_service_pb2.ListLinksResponse:
        """Newest first: every domain's links, or with ``domain`` only that domain's; ``query`` keeps links whose code,
        URL or title contains it (any case), ``tag`` those carrying the tag. A page token belongs to its filters."""
        request = link_service_pb2.ListLinksRequest(
            page_size=page_size, page_token=page_token, domain=domain, query=query, tag=tag
        )
        return self._call(self._links.ListLinks, request, safe_to_repeat=True)

    def update_link(
        self,
        code: str,
        *,
        url: str | None = None,
        redirect_status: int | None = None,
        expires_at: datetime | None = None,
        clear_expires_at: bool = False,
        disabled: bool | None = None,
        title: str | None = None,
        tags: Iterable[str] | None = None,
        domain: str | None = None,
        cache_seconds: int | None = None,
        valid_since: datetime | None = None,
        clear_valid_since: bool = False,
        forward_query: bool | None = None,
        max_visits: int | None = None,
        clear_max_visits: bool = False,
        password: str | None = None,
        rules: Iterable[Rule] | None = None,
    ) -> link_pb2.Link:
        """Only the arguments given change; ``tags=[]`` removes every tag, ``rules=[]`` every rule (given rules
        replace them all), ``password=""`` the password, ``clear_max_visits=True`` the cap.
        ``domain`` says which domain's code it is: a link never moves to another domain."""
        request = link_service_pb2.UpdateLinkRequest(
            code=code,
            domain=domain,
            url=url,
            redirect_status=redirect_status,
            expires_at=_timestamp(expires_at),
            clear_expires_at=clear_expires_at,
            cache_seconds=cache_seconds,
            valid_since=_timestamp(valid_since),
            clear_valid_since=clear_valid_since,
            forward_query=forward_query,
            max_visits=max_visits,
            clear_max_visits=clear_max_visits,
            password=password,
            disabled=disabled,
            title=title,
        )
        if tags is not None:
            values = struct_pb2.ListValue()
            values.extend(list(tags))
            request.tags.CopyFrom(values)
        if rules is not None:
            request.rules.CopyFrom(_rule_list(rules))
        return self._call(self._links.UpdateLink, request, safe_to_repeat=False)

    def delete_link(self, code: str, *, domain: str | None = None) -> None:
        request = link_service_pb2.DeleteLinkRequest(code=code, domain=domain)
        self._call(self._links.DeleteLink, request, safe_to_repeat=False)

    def get_link_qr_code(
        self, code: str, *, format: str | None = None, size: int | None = None, domain: str | None = None
    ) -> httpbody_pb2.HttpBody:
        """A QR code of the link's short URL: ``format`` "svg" (default) or "png", ``size`` 128 to 1,024 pixels (default 256).
        The answer's ``content_type`` is image/svg+xml or image/png, ``data`` the image."""
        request = link_service_pb2.GetLinkQrCodeRequest(code=code, domain=domain)
        if format is not None:
            request.format = format
        if size is not None:
            request.size = size
        return self._call(self._links.GetLinkQrCode, request, safe_to_repeat=True)

    def resolve(self, code: str, *, count_click: bool = True, domain: str | None = None) -> resolver_service_pb2.ResolveResponse:
        """``count_click=False`` marks the lookup "no click" (like a HEAD): not counted in the stats.
        A ``domain`` that is no configured domain means the default domain, as an unknown Host does."""
        extra = () if count_click else (("x-kurt-no-click", "1"),)
        request = resolver_service_pb2.ResolveRequest(code=code, domain=domain)
        return self._call(self._resolver.Resolve, request, safe_to_repeat=True, extra=extra)

    def get_link_stats(
        self,
        code: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        interval: str | None = None,
        domain: str | None = None,
    ) -> stats_service_pb2.Stats:
        """``interval`` is "hour" or "day" (the server's default: hour)."""
        if interval not in _INTERVALS:
            raise KurtError("invalid_argument", f'interval: must be "hour" or "day", got {interval!r}', "interval")
        request = stats_service_pb2.GetLinkStatsRequest(code=code, interval=_INTERVALS[interval], domain=domain)
        # "from" is a Python keyword: the proto field is set by name.
        if start is not None:
            getattr(request, "from").CopyFrom(_timestamp(start))
        if end is not None:
            request.to.CopyFrom(_timestamp(end))
        return self._call(self._stats.GetLinkStats, request, safe_to_repeat=True)

    # API keys

    def create_api_key(self, name: str, scopes: Iterable[str]) -> api_key_service_pb2.CreateApiKeyResponse:
        request = api_key_service_pb2.CreateApiKeyRequest(name=name, scopes=list(scopes))
        return self._call(self._keys.CreateApiKey, request, safe_to_repeat=False)

    def list_api_keys(self, page_size: int = 0, page_token: str = "") -> api_key_service_pb2.ListApiKeysResponse:
        request = api_key_service_pb2.ListApiKeysRequest(page_size=page_size, page_token=page_token)
        return self._call(self._keys.ListApiKeys, request, safe_to_repeat=True)

    def revoke_api_key(self, key_id: str) -> api_key_service_pb2.ApiKey:
        request = api_key_service_pb2.RevokeApiKeyRequest(id=key_id)
        return self._call(self._keys.RevokeApiKey, request, safe_to_repeat=False)

    # Domains (every call needs the admin scope)

    def create_domain(
        self, domain: str, *, root_redirect: str | None = None, not_found_redirect: str | None = None
    ) -> domain_service_pb2.Domain:
        """``domain`` is a host name such as "go.example.com"; ``root_redirect`` answers ``GET /`` on it,
        ``not_found_redirect`` replaces its 404s. A name configured already is ``already_exists``."""
        request = domain_service_pb2.CreateDomainRequest(domain=domain, root_redirect=root_redirect, not_found_redirect=not_found_redirect)
        return self._call(self._domains.CreateDomain, request, safe_to_repeat=False)

    def list_domains(self) -> domain_service_pb2.ListDomainsResponse:
        """The default domain first, then the others by name."""
        return self._call(self._domains.ListDomains, domain_service_pb2.ListDomainsRequest(), safe_to_repeat=True)

    def update_domain(
        self, domain: str, *, root_redirect: str | None = None, not_found_redirect: str | None = None
    ) -> domain_service_pb2.Domain:
        """Only the redirects given change; ``""`` removes one."""
        request = domain_service_pb2.UpdateDomainRequest(domain=domain, root_redirect=root_redirect, not_found_redirect=not_found_redirect)
        return self._call(self._domains.UpdateDomain, request, safe_to_repeat=False)

    def delete_domain(self, domain: str) -> domain_service_pb2.Domain:
        """Answers the deleted Domain. ``conflict`` while links live under it; the default domain cannot be deleted."""
        request = domain_service_pb2.DeleteDomainRequest(domain=domain)
        return self._call(self._domains.DeleteDomain, request, safe_to_repeat=False)
