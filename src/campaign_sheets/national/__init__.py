"""Many councils' sheets in one tree (SPEC §9): each sheet is read and validated on its
own, then its actions, records, petitions and drives join one national workbook.

:mod:`.councils` names each sheet's council and prefecture; :mod:`.merge` gives each
sheet's IDs its prefecture's code and keeps its organisations apart from the others'
(unless the 団体 tabs give them one キー); :mod:`.gather` reads every sheet once
(falling back to its last good read) and makes one sheet's share of a sync.
"""

from .councils import Council, councils_of
from .merge import Share, merge_shares, national_ids

__all__ = ["Council", "Share", "councils_of", "merge_shares", "national_ids"]
