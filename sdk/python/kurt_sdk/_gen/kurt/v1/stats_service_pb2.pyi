import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StatsInterval(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STATS_INTERVAL_UNSPECIFIED: _ClassVar[StatsInterval]
    HOUR: _ClassVar[StatsInterval]
    DAY: _ClassVar[StatsInterval]
STATS_INTERVAL_UNSPECIFIED: StatsInterval
HOUR: StatsInterval
DAY: StatsInterval

class GetLinkStatsRequest(_message.Message):
    __slots__ = ("code", "to", "interval", "domain")
    CODE_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    code: str
    to: _timestamp_pb2.Timestamp
    interval: StatsInterval
    domain: str
    def __init__(self, code: _Optional[str] = ..., to: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., interval: _Optional[_Union[StatsInterval, str]] = ..., domain: _Optional[str] = ..., **kwargs) -> None: ...

class Stats(_message.Message):
    __slots__ = ("code", "total", "human_total", "bot_total", "unique_visitors", "series", "referrers", "browsers", "os", "devices", "domain", "prefetch_total", "countries")
    CODE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    HUMAN_TOTAL_FIELD_NUMBER: _ClassVar[int]
    BOT_TOTAL_FIELD_NUMBER: _ClassVar[int]
    UNIQUE_VISITORS_FIELD_NUMBER: _ClassVar[int]
    SERIES_FIELD_NUMBER: _ClassVar[int]
    REFERRERS_FIELD_NUMBER: _ClassVar[int]
    BROWSERS_FIELD_NUMBER: _ClassVar[int]
    OS_FIELD_NUMBER: _ClassVar[int]
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    PREFETCH_TOTAL_FIELD_NUMBER: _ClassVar[int]
    COUNTRIES_FIELD_NUMBER: _ClassVar[int]
    code: str
    total: int
    human_total: int
    bot_total: int
    unique_visitors: int
    series: _containers.RepeatedCompositeFieldContainer[SeriesPoint]
    referrers: _containers.RepeatedCompositeFieldContainer[DimensionCount]
    browsers: _containers.RepeatedCompositeFieldContainer[DimensionCount]
    os: _containers.RepeatedCompositeFieldContainer[DimensionCount]
    devices: _containers.RepeatedCompositeFieldContainer[DimensionCount]
    domain: str
    prefetch_total: int
    countries: _containers.RepeatedCompositeFieldContainer[DimensionCount]
    def __init__(self, code: _Optional[str] = ..., total: _Optional[int] = ..., human_total: _Optional[int] = ..., bot_total: _Optional[int] = ..., unique_visitors: _Optional[int] = ..., series: _Optional[_Iterable[_Union[SeriesPoint, _Mapping]]] = ..., referrers: _Optional[_Iterable[_Union[DimensionCount, _Mapping]]] = ..., browsers: _Optional[_Iterable[_Union[DimensionCount, _Mapping]]] = ..., os: _Optional[_Iterable[_Union[DimensionCount, _Mapping]]] = ..., devices: _Optional[_Iterable[_Union[DimensionCount, _Mapping]]] = ..., domain: _Optional[str] = ..., prefetch_total: _Optional[int] = ..., countries: _Optional[_Iterable[_Union[DimensionCount, _Mapping]]] = ...) -> None: ...

class SeriesPoint(_message.Message):
    __slots__ = ("start", "clicks")
    START_FIELD_NUMBER: _ClassVar[int]
    CLICKS_FIELD_NUMBER: _ClassVar[int]
    start: _timestamp_pb2.Timestamp
    clicks: int
    def __init__(self, start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., clicks: _Optional[int] = ...) -> None: ...

class DimensionCount(_message.Message):
    __slots__ = ("value", "clicks")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    CLICKS_FIELD_NUMBER: _ClassVar[int]
    value: str
    clicks: int
    def __init__(self, value: _Optional[str] = ..., clicks: _Optional[int] = ...) -> None: ...
