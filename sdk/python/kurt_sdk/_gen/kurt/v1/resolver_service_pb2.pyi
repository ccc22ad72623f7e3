from kurt_sdk._gen.kurt.v1 import lookup_layer_pb2 as _lookup_layer_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ResolveRequest(_message.Message):
    __slots__ = ("code", "domain")
    CODE_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    code: str
    domain: str
    def __init__(self, code: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...

class ResolveResponse(_message.Message):
    __slots__ = ("url", "redirect_status", "served_by")
    URL_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_STATUS_FIELD_NUMBER: _ClassVar[int]
    SERVED_BY_FIELD_NUMBER: _ClassVar[int]
    url: str
    redirect_status: int
    served_by: _lookup_layer_pb2.LookupLayer
    def __init__(self, url: _Optional[str] = ..., redirect_status: _Optional[int] = ..., served_by: _Optional[_Union[_lookup_layer_pb2.LookupLayer, str]] = ...) -> None: ...
