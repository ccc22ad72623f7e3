from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class LookupLayer(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOOKUP_LAYER_UNSPECIFIED: _ClassVar[LookupLayer]
    LOOKUP_LAYER_MEMORY: _ClassVar[LookupLayer]
    LOOKUP_LAYER_REDIS: _ClassVar[LookupLayer]
    LOOKUP_LAYER_REPLICA: _ClassVar[LookupLayer]
    LOOKUP_LAYER_PRIMARY: _ClassVar[LookupLayer]
LOOKUP_LAYER_UNSPECIFIED: LookupLayer
LOOKUP_LAYER_MEMORY: LookupLayer
LOOKUP_LAYER_REDIS: LookupLayer
LOOKUP_LAYER_REPLICA: LookupLayer
LOOKUP_LAYER_PRIMARY: LookupLayer
