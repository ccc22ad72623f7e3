import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Link(_message.Message):
    __slots__ = ("code", "short_url", "url", "redirect_status", "created_at", "updated_at", "expires_at", "disabled", "title", "tags", "cache_seconds", "domain", "valid_since", "forward_query", "max_visits", "visits", "password_protected", "rules")
    CODE_FIELD_NUMBER: _ClassVar[int]
    SHORT_URL_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    DISABLED_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    CACHE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    VALID_SINCE_FIELD_NUMBER: _ClassVar[int]
    FORWARD_QUERY_FIELD_NUMBER: _ClassVar[int]
    MAX_VISITS_FIELD_NUMBER: _ClassVar[int]
    VISITS_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_PROTECTED_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    code: str
    short_url: str
    url: str
    redirect_status: int
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    disabled: bool
    title: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    cache_seconds: int
    domain: str
    valid_since: _timestamp_pb2.Timestamp
    forward_query: bool
    max_visits: int
    visits: int
    password_protected: bool
    rules: _containers.RepeatedCompositeFieldContainer[RedirectRule]
    def __init__(self, code: _Optional[str] = ..., short_url: _Optional[str] = ..., url: _Optional[str] = ..., redirect_status: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., disabled: _Optional[bool] = ..., title: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., cache_seconds: _Optional[int] = ..., domain: _Optional[str] = ..., valid_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., forward_query: _Optional[bool] = ..., max_visits: _Optional[int] = ..., visits: _Optional[int] = ..., password_protected: _Optional[bool] = ..., rules: _Optional[_Iterable[_Union[RedirectRule, _Mapping]]] = ...) -> None: ...

class RedirectRule(_message.Message):
    __slots__ = ("device", "country", "language", "query", "url")
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    device: str
    country: str
    language: str
    query: RedirectRuleQuery
    url: str
    def __init__(self, device: _Optional[str] = ..., country: _Optional[str] = ..., language: _Optional[str] = ..., query: _Optional[_Union[RedirectRuleQuery, _Mapping]] = ..., url: _Optional[str] = ...) -> None: ...

class RedirectRuleQuery(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
