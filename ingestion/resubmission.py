"""The resubmission marker of a corrected report: 更正 or _vN/_VN (N >= 2) in the file name."""

from __future__ import annotations

import re
from pathlib import PurePath

# _v2, _V3 ... as its own name part: followed by the extension, another separator or the end.
_VERSION = re.compile(r"_[vV](\d+)(?![0-9A-Za-z])")


def is_resubmission(file_name: str) -> bool:
    """True when the name marks a corrected report (see docs/architecture.md, rule 4)."""
    return marker_number(file_name) >= 2


def marker_number(file_name: str) -> int:
    """Which delivery of a report the name says it is: N of _vN (N >= 2), 2 for 更正, else 1.

    It orders the files of one report that arrive together (x_v10 after x_v9, not after x_v1 as
    names sort) and tells a late older version (x_v2 arriving after x_v3) from a newer one.
    """
    stem = PurePath(file_name).stem
    numbers = [int(match.group(1)) for match in _VERSION.finditer(stem)]
    marked = [n for n in numbers if n >= 2]
    if marked:
        return max(marked)
    return 2 if "更正" in stem else 1
