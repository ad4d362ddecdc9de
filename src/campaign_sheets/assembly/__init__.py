"""The assembly tracker: petitions through committees and plenaries, hearings in the
calendar, every municipality covered. Pure: values in, values out.

- :mod:`.vocabulary` — outcome words, kinds of petition, meeting statuses (``data/assembly.toml``)
- :mod:`.votes` — ``5対4``, ``賛成23、反対21、棄権1``, ``全会一致``, ``3対3（委員長決裁）``
- :mod:`.model` — petitions, stages, coverage rows, the :class:`Tracker` holding them
- :mod:`.status` — a petition's status from its stages, whatever their order
- :mod:`.summary` — the counts of a roll-up; :mod:`.sentence` — its sentence, both ways
- :mod:`.hearings` — each stage as a ``hearing`` action for the feeds and pages
- :mod:`.tiles` — the tile-grid map; :mod:`.popolo` — ``petitions.json``
"""

from .hearings import hearing_action, hearing_actions
from .model import Coverage, Petition, Stage, Tracker, tracker_for
from .popolo import petitions_json, petitions_payload
from .sentence import RollupSentence, parse_sentence, render_sentence
from .status import Status, derive_status, stage_order
from .summary import CoverageCount, Summary, Tracked, count_coverage, summarise, track
from .tiles import Tile, TileGrid, tile_grid
from .votes import Vote, format_vote, parse_vote

__all__ = [
    "Coverage",
    "CoverageCount",
    "Petition",
    "RollupSentence",
    "Stage",
    "Status",
    "Summary",
    "Tile",
    "TileGrid",
    "Tracked",
    "Tracker",
    "Vote",
    "count_coverage",
    "derive_status",
    "format_vote",
    "hearing_action",
    "hearing_actions",
    "parse_sentence",
    "parse_vote",
    "petitions_json",
    "petitions_payload",
    "render_sentence",
    "stage_order",
    "summarise",
    "tile_grid",
    "track",
    "tracker_for",
]
