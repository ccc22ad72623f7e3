import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import httpbody_pb2 as _httpbody_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from kurt_sdk._gen.kurt.v1 import link_pb2 as _link_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateLinkRequest(_message.Message):
    __slots__ = ("url", "code", "redirect_status", "expires_at", "title", "tags", "cache_seconds", "domain", "valid_since", "forward_query", "max_visits", "password", "rules")
    URL_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_STATUS_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    CACHE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    VALID_SINCE_FIELD_NUMBER: _ClassVar[int]
    FORWARD_QUERY_FIELD_NUMBER: _ClassVar[int]
    MAX_VISITS_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    url: str
    code: str
    redirect_status: int
    expires_at: _timestamp_pb2.Timestamp
    title: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    cache_seconds: int
    domain: str
    valid_since: _timestamp_pb2.Timestamp
    forward_query: bool
    max_visits: int
    password: str
    rules: _containers.RepeatedCompositeFieldContainer[_link_pb2.RedirectRule]
    def __init__(self, url: _Optional[str] = ..., code: _Optional[str] = ..., redirect_status: _Optional[int] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., title: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., cache_seconds: _Optional[int] = ..., domain: _Optional[str] = ..., valid_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., forward_query: _Optional[bool] = ..., max_visits: _Optional[int] = ..., password: _Optional[str] = ..., rules: _Optional[_Iterable[_Union[_link_pb2.RedirectRule, _Mapping]]] = ...) -> None: ...

class BatchCreateLinksRequest(_message.Message):
    __slots__ = ("links",)
    LINKS_FIELD_NUMBER: _ClassVar[int]
    links: _containers.RepeatedCompositeFieldContainer[CreateLinkRequest]
    def __init__(self, links: _Optional[_Iterable[_Union[CreateLinkRequest, _Mapping]]] = ...) -> None: ...

class BatchCreateLinksResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[BatchCreateLinkResult]
    def __init__(self, results: _Optional[_Iterable[_Union[BatchCreateLinkResult, _Mapping]]] = ...) -> None: ...

class BatchCreateLinkResult(_message.Message):
    __slots__ = ("link", "error")
    LINK_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    link: _link_pb2.Link
    error: BatchCreateLinkError
    def __init__(self, link: _Optional[_Union[_link_pb2.Link, _Mapping]] = ..., error: _Optional[_Union[BatchCreateLinkError, _Mapping]] = ...) -> None: ...

class BatchCreateLinkError(_message.Message):
    __slots__ = ("code", "message")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: int
    message: str
    def __init__(self, code: _Optional[int] = ..., message: _Optional[str] = ...) -> None: ...

class GetLinkRequest(_message.Message):
    __slots__ = ("code", "domain")
    CODE_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    code: str
    domain: str
    def __init__(self, code: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class ListLinksRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "domain", "query", "tag")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    domain: str
    query: str
    tag: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., domain: _Optional[str] = ..., query: _Optional[str] = ..., tag: _Optional[str] = ...) -> None: ...

class ListLinksResponse(_message.Message):
    __slots__ = ("links", "next_page_token")
    LINKS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    links: _containers.RepeatedCompositeFieldContainer[_link_pb2.Link]
    next_page_token: str
    def __init__(self, links: _Optional[_Iterable[_Union[_link_pb2.Link, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateLinkRequest(_message.Message):
    __slots__ = ("code", "url", "redirect_status", "expires_at", "disabled", "title", "tags", "clear_expires_at", "cache_seconds", "domain", "valid_since", "clear_valid_since", "forward_query", "max_visits", "clear_max_visits", "password", "rules")
    CODE_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_STATUS_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    DISABLED_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    CLEAR_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    CACHE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    VALID_SINCE_FIELD_NUMBER: _ClassVar[int]
    CLEAR_VALID_SINCE_FIELD_NUMBER: _ClassVar[int]
    FORWARD_QUERY_FIELD_NUMBER: _ClassVar[int]
    MAX_VISITS_FIELD_NUMBER: _ClassVar[int]
    CLEAR_MAX_VISITS_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    code: str
    url: str
    redirect_status: int
    expires_at: _timestamp_pb2.Timestamp
    disabled: bool
    title: str
    tags: _struct_pb2.ListValue
    clear_expires_at: bool
    cache_seconds: int
    domain: str
    valid_since: _timestamp_pb2.Timestamp
    clear_valid_since: bool
    forward_query: bool
    max_visits: int
    clear_max_visits: bool
    password: str
    rules: _struct_pb2.ListValue
    def __init__(self, code: _Optional[str] = ..., url: _Optional[str] = ..., redirect_status: _Optional[int] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., disabled: _Optional[bool] = ..., title: _Optional[str] = ..., tags: _Optional[_Union[_struct_pb2.ListValue, _Mapping]] = ..., clear_expires_at: _Optional[bool] = ..., cache_seconds: _Optional[int] = ..., domain: _Optional[str] = ..., valid_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., clear_valid_since: _Optional[bool] = ..., forward_query: _Optional[bool] = ..., max_visits: _Optional[int] = ..., clear_max_visits: _Optional[bool] = ..., password: _Optional[str] = ..., rules: _Optional[_Union[_struct_pb2.ListValue, _Mapping]] = ...) -> None: ...

class DeleteLinkRequest(_message.Message):
    __slots__ = ("code", "domain")
    CODE_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    code: str
    domain: str
    def __init__(self, code: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class DeleteLinkResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetLinkQrCodeRequest(_message.Message):
    __slots__ = ("code", "format", "size", "domain")
    CODE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    code: str
    format: str
    size: int
    domain: str
    def __init__(self, code: _Optional[str] = ..., format: _Optional[str] = ..., size: _Optional[int] = ..., domain: _Optional[str] = ...) -> None: ...
