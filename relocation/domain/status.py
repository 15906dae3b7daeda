"""The one firm-status model of the programme, and each status's quota rule.

A firm on the programme's list is in exactly one status. The ``actuals`` table records the
facts (``moved``, ``committed``, ``closed``, ``converted``, ``exempt``); a firm without an
actuals row is ``slated``. Each status has one rule for the quota windows (the share of
slated firms moved by a year), one for land at the destination, and one for planning:

==========  =====================  ==================================  ======================
status      quota base N           counted as moved by year Y          planning and land
==========  =====================  ==================================  ======================
slated      in N                   when its planned move is ≤ Y        planned (a variable)
moved       in N                   from its actual year on             fixed history; its
                                                                       land is taken at its
                                                                       site from that year
committed   in N                   when its (fixed) move year is ≤ Y   fixed move to the
                                                                       signed site and year
closed      in N if                from its closing year on, if        leaves the programme;
            ``rules.closed_counts  ``rules.closed_counts_in_quota``    no site land
            _in_quota`` (default   (its residential land is freed
            on), else out of N     the same way as a move's)
converted   in N                   from its conversion year on (the    leaves the programme;
                                   polluting use leaves the parcel:    no site land
                                   *chuyển đổi công năng*, issue 10)
exempt      out of N               never                               leaves the programme
==========  =====================  ==================================  ======================

*Converted* is also a **planned** alternative (issue 10): under ``rules.allow_conversion`` an
encouraged slated firm (not locked or committed, in no ``move_group``, not in a park with a
clearance target) may convert its parcel in place in a planned year instead of moving (a plan
row with ``action = "convert"``). The same rules hold as for the recorded status: in N,
counted as moved from its conversion year, no site land. In addition it counts in the yearly
numbers of moves (``max_moves_per_year``, ``min_moves_per_year``: a case for the programme
office), takes no support (the yearly budget), costs ``permit_vnd`` plus
``land_area_m2 · conversion_vnd_per_m2`` and its parcel is **not freed** (no TOD or social
housing; the firm remains employment). See :mod:`relocation.domain.costs` and the README.

Everything in this module is a plain rule table: ``relocation.domain.assemble`` applies it.

A planned firm is **fixed** (:class:`Fixed`, shown on the map and in the schedule) when a
``committed`` actual fixes its site and year, or a ``lock`` decision fixes its site, its year
or both. Moved firms are history, not fixed moves: they are not in the schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np


class FirmStatus(StrEnum):
    """Where a firm on the programme's list stands."""

    SLATED = "slated"
    MOVED = "moved"
    COMMITTED = "committed"
    CLOSED = "closed"
    CONVERTED = "converted"
    EXEMPT = "exempt"


@dataclass(frozen=True)
class StatusRule:
    """What a status means for quotas, land and planning.

    Attributes
    ----------
    in_base : bool or None
        Whether the firm counts in the quota base N (``None``: by the closed-firm switch).
    counts_from_year : bool or None
        Whether the firm counts as moved from its actual year on (``None``: by the switch;
        slated and committed firms count by their planned year instead).
    planned : bool
        Whether the firm gets a move in the plan (slated: free; committed: fixed).
    takes_site_land : bool
        Whether the firm occupies land at a destination site.
    needs_site : bool
        Whether an actuals row of this status must name a site.
    happened : bool
        Whether the status records a fact dated at or before ``as_of`` (``committed`` is a
        future year).
    """

    in_base: bool | None
    counts_from_year: bool | None
    planned: bool
    takes_site_land: bool
    needs_site: bool
    happened: bool


#: The quota, land and planning rule of each status (the table of the module docstring).
STATUS_RULES: dict[FirmStatus, StatusRule] = {
    FirmStatus.SLATED: StatusRule(True, False, True, True, False, False),
    FirmStatus.MOVED: StatusRule(True, True, False, True, True, True),
    FirmStatus.COMMITTED: StatusRule(True, False, True, True, True, False),
    FirmStatus.CLOSED: StatusRule(None, None, False, False, False, True),
    FirmStatus.CONVERTED: StatusRule(True, True, False, False, False, True),
    FirmStatus.EXEMPT: StatusRule(False, False, False, False, False, True),
}

#: Statuses an ``actuals`` row may carry (``slated`` is the absence of a row).
ACTUAL_STATUSES = tuple(s.value for s in FirmStatus if s is not FirmStatus.SLATED)


def in_quota_base(status: FirmStatus, closed_counts: bool) -> bool:
    """Whether a firm of ``status`` is in the quota base N."""
    rule = STATUS_RULES[status].in_base
    return closed_counts if rule is None else rule


def counts_as_history(status: FirmStatus, closed_counts: bool) -> bool:
    """Whether a firm of ``status`` counts as moved from its recorded year on."""
    rule = STATUS_RULES[status].counts_from_year
    return closed_counts if rule is None else rule


class Fixed(StrEnum):
    """Why a planned firm's move is fixed (``""``: it is not); labels in ``labels.FIXED``."""

    NONE = ""
    COMMITTED = "committed"
    LOCKED_SITE_YEAR = "locked_site_year"
    LOCKED_SITE = "locked_site"
    LOCKED_YEAR = "locked_year"


def fixed_kinds(status: np.ndarray, lock_site_id: np.ndarray, lock_year: np.ndarray) -> np.ndarray:
    """The :class:`Fixed` value of each firm, from a problem's review columns.

    Parameters
    ----------
    status, lock_site_id, lock_year : numpy.ndarray
        ``Problem.firms``' ``status`` (str), ``lock_site_id`` (str, ``""`` for none) and
        ``lock_year`` (int, 0 for none): a committed actual and a lock decision both set the
        lock columns; a committed firm is reported as committed (a lock that contradicts it
        is refused as input).

    Returns
    -------
    numpy.ndarray
        str, one :class:`Fixed` value per firm.
    """
    site = np.asarray(lock_site_id, dtype=object).astype(str) != ""
    year = np.asarray(lock_year, dtype=np.int64) > 0
    out = np.select(
        [np.asarray(status, dtype=object).astype(str) == FirmStatus.COMMITTED.value,
         site & year, site, year],
        [Fixed.COMMITTED.value, Fixed.LOCKED_SITE_YEAR.value, Fixed.LOCKED_SITE.value,
         Fixed.LOCKED_YEAR.value],
        default=Fixed.NONE.value,
    )
    return out.astype(str)
