import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Domain(_message.Message):
    __slots__ = ("domain", "root_redirect", "not_found_redirect", "is_default", "created_at")
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    ROOT_REDIRECT_FIELD_NUMBER: _ClassVar[int]
    NOT_FOUND_REDIRECT_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    domain: str
    root_redirect: str
    not_found_redirect: str
    is_default: bool
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, domain: _Optional[str] = ..., root_redirect: _Optional[str] = ..., not_found_redirect: _Optional[str] = ..., is_default: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateDomainRequest(_message.Message):
    __slots__ = ("domain", "root_redirect", "not_found_redirect")
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    ROOT_REDIRECT_FIELD_NUMBER: _ClassVar[int]
    NOT_FOUND_REDIRECT_FIELD_NUMBER: _ClassVar[int]
    domain: str
    root_redirect: str
    not_found_redirect: str
    def __init__(self, domain: _Optional[str] = ..., root_redirect: _Optional[str] = ..., not_found_redirect: _Optional[str] = ...) -> None: ...

class ListDomainsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListDomainsResponse(_message.Message):
    __slots__ = ("domains",)
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    domains: _containers.RepeatedCompositeFieldContainer[Domain]
    def __init__(self, domains: _Optional[_Iterable[_Union[Domain, _Mapping]]] = ...) -> None: ...

class UpdateDomainRequest(_message.Message):
    __slots__ = ("domain", "root_redirect", "not_found_redirect")
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    ROOT_REDIRECT_FIELD_NUMBER: _ClassVar[int]
    NOT_FOUND_REDIRECT_FIELD_NUMBER: _ClassVar[int]
    domain: str
    root_redirect: str
    not_found_redirect: str
    def __init__(self, domain: _Optional[str] = ..., root_redirect: _Optional[str] = ..., not_found_redirect: _Optional[str] = ...) -> None: ...

class DeleteDomainRequest(_message.Message):
    __slots__ = ("domain",)
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    domain: str
    def __init__(self, domain: _Optional[str] = ...) -> None: ...
