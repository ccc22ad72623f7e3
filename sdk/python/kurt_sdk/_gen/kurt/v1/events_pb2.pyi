import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from kurt_sdk._gen.kurt.v1 import link_pb2 as _link_pb2
from kurt_sdk._gen.kurt.v1 import lookup_layer_pb2 as _lookup_layer_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LinkEventKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LINK_EVENT_KIND_UNSPECIFIED: _ClassVar[LinkEventKind]
    LINK_EVENT_KIND_CREATED: _ClassVar[LinkEventKind]
    LINK_EVENT_KIND_UPDATED: _ClassVar[LinkEventKind]
    LINK_EVENT_KIND_DELETED: _ClassVar[LinkEventKind]
LINK_EVENT_KIND_UNSPECIFIED: LinkEventKind
LINK_EVENT_KIND_CREATED: LinkEventKind
LINK_EVENT_KIND_UPDATED: LinkEventKind
LINK_EVENT_KIND_DELETED: LinkEventKind

class LinkEvent(_message.Message):
    __slots__ = ("event_id", "kind", "code", "link", "occurred_at", "request_id", "domain")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    kind: LinkEventKind
    code: str
    link: _link_pb2.Link
    occurred_at: _timestamp_pb2.Timestamp
    request_id: str
    domain: str
    def __init__(self, event_id: _Optional[str] = ..., kind: _Optional[_Union[LinkEventKind, str]] = ..., code: _Optional[str] = ..., link: _Optional[_Union[_link_pb2.Link, _Mapping]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., request_id: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class ClickEvent(_message.Message):
    __slots__ = ("event_id", "code", "occurred_at", "referrer", "user_agent", "client_address", "redirect_status", "served_by", "request_id", "domain", "prefetch")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    REFERRER_FIELD_NUMBER: _ClassVar[int]
    USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_STATUS_FIELD_NUMBER: _ClassVar[int]
    SERVED_BY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    PREFETCH_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    code: str
    occurred_at: _timestamp_pb2.Timestamp
    referrer: str
    user_agent: str
    client_address: str
    redirect_status: int
    served_by: _lookup_layer_pb2.LookupLayer
    request_id: str
    domain: str
    prefetch: bool
    def __init__(self, event_id: _Optional[str] = ..., code: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., referrer: _Optional[str] = ..., user_agent: _Optional[str] = ..., client_address: _Optional[str] = ..., redirect_status: _Optional[int] = ..., served_by: _Optional[_Union[_lookup_layer_pb2.LookupLayer, str]] = ..., request_id: _Optional[str] = ..., domain: _Optional[str] = ..., prefetch: _Optional[bool] = ...) -> None: ...
