"""The resubmission marker of a corrected report: 更正 or _vN/_VN (N >= 2) in the file name."""

from __future__ import annotations

import re
from pathlib import PurePath

# _v2, _V3 ... as its own name part: followed by the extension, another separator or the end.
_VERSION = re.compile(r"_[vV](\d+)(?![0-9A-Za-z])")


def is_resubmission(file_name: str) -> bool:
    """True when the name marks a corrected report (see docs/architecture.md, rule 4)."""
    stem = PurePath(file_name).stem
    if "更正" in stem:
        return True
    return any(int(match.group(1)) >= 2 for match in _VERSION.finditer(stem))
