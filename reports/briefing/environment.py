"""The Jinja environment of a briefing template: the idiom filters and the 有数据 / 暂无数据 helpers."""

from __future__ import annotations

import jinja2

from reports.briefing.idioms import FILTERS, NO_DATA, NoData


def available(*figures: object) -> bool:
    """有数据(L01, L03, …): true when every figure named has a published value this month."""
    return not any(isinstance(f, NoData) for f in figures)


def no_data(*figures: object) -> str:
    """暂无数据(L01, L03, …): 暂无数据 and why, for the figures among those named that have no value."""
    groups: dict[str, list[str]] = {}
    for figure in figures:
        if isinstance(figure, NoData):
            groups.setdefault(figure.reason, []).append(figure.code)
    if not groups:
        return ""
    reasons = "；".join(f"{'、'.join(codes)}：{reason}" for reason, codes in groups.items())
    return f"{NO_DATA}（{reasons}）"


GLOBALS = {"有数据": available, "暂无数据": no_data}


def environment() -> jinja2.Environment:
    """A name the context lacks is an error when rendering, never an empty string in the briefing."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env
