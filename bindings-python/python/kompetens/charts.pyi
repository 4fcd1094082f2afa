from typing import Any, Iterable, Mapping

__all__: list[str]

class Svg(str):
    def _repr_svg_(self) -> str: ...
    def save(self, path: str) -> None: ...

def radar(
    data: Any,
    framework: Any = ...,
    *,
    by: str = ...,
    extra: Iterable[Mapping[str, Any]] | None = ...,
    lang: str = ...,
    width: float | None = ...,
    title: str | None = ...,
    desc: str | None = ...,
    id: str | None = ...,
) -> Svg: ...
def heatmap(
    data: Any,
    *,
    metric: str = ...,
    scope: str = ...,
    by: str = ...,
    role: str | None = ...,
    unit_names: Mapping[str, str] | None = ...,
    framework: Any = ...,
    lang: str = ...,
    width: float | None = ...,
    title: str | None = ...,
    desc: str | None = ...,
    id: str | None = ...,
) -> Svg: ...
def dimios_quadrant(
    data: Any,
    *,
    peers: Any = ...,
    model: Any = ...,
    settings: Mapping[str, Any] | None = ...,
    label: str | None = ...,
    lang: str = ...,
    width: float | None = ...,
    title: str | None = ...,
    desc: str | None = ...,
    id: str | None = ...,
) -> Svg: ...
def dimios_spider(
    data: Any,
    *,
    peers: Iterable[Any] | None = ...,
    model: Any = ...,
    label: str | None = ...,
    lang: str = ...,
    width: float | None = ...,
    title: str | None = ...,
    desc: str | None = ...,
    id: str | None = ...,
) -> Svg: ...
def change(
    data: Any,
    *,
    by: str | None = ...,
    model: Any = ...,
    unit: str | None = ...,
    scope: str | None = ...,
    framework: Any = ...,
    before_label: str | None = ...,
    after_label: str | None = ...,
    lang: str = ...,
    width: float | None = ...,
    title: str | None = ...,
    desc: str | None = ...,
    id: str | None = ...,
) -> Svg: ...
