"""The CJK font the charts draw with, found by family name among the fonts installed on the machine."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from matplotlib import font_manager

# Debian's fonts-wqy-microhei (tests/fonts_install.sh installs it), else a Noto or Source Han CJK font.
CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans CJK JP")
# File names of those families, for a matplotlib font list cached before the font was installed.
_FILE_HINTS = ("wqy-microhei", "notosanscjk", "sourcehansans")
INSTALL_HINT = "install one: bash tests/fonts_install.sh (apt-get install fonts-wqy-microhei)"


class MissingFont(RuntimeError):
    """No CJK font: Chinese labels would be empty boxes, so no chart is drawn."""


def _find(family: str) -> str | None:
    try:
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return None
    # findfont matches loosely on some versions: only a font of that very family counts.
    names = {f.name for f in font_manager.fontManager.ttflist if f.fname == path}
    return path if family in names else None


@cache
def cjk_font() -> tuple[str, Path]:
    """(family, file) of the first installed family of CJK_FAMILIES; MissingFont when there is none."""
    for family in CJK_FAMILIES:
        if path := _find(family):
            return family, Path(path)
    # matplotlib caches its font list: a font installed after that is added from the system's list.
    for path in font_manager.findSystemFonts():
        if any(hint in Path(path).name.lower() for hint in _FILE_HINTS):
            font_manager.fontManager.addfont(path)
    for family in CJK_FAMILIES:
        if path := _find(family):
            return family, Path(path)
    raise MissingFont(f"no CJK font for the briefing's charts ({', '.join(CJK_FAMILIES)}): {INSTALL_HINT}")
