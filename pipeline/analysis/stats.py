"""The association and keyness statistics of the analyses, each implemented once.

- `g_squared`: log-likelihood G² = 2 Σ O ln(O / E) over the cells of a table (cells with O = 0
  add nothing). Both uses below are this one sum over different cells:
  - `frequency_g2` (keyness, Rayson & Garside 2000): the two observed frequencies of a term
    (a hits in n1 words against b hits in n2 words) with their expected values;
  - `contingency_g2` (collocations, Dunning 1993): the full 2x2 table window/outside ×
    collocate/other.
  Both are signed: negative when the first cell is observed less often than expected.
- `p_value`: chi-square upper tail with 1 degree of freedom.
- `log_ratio` (Hardie 2014), `pct_diff` (Gabrielatos & Marchi 2012), `log_dice` (Rychlý 2008).
"""

from __future__ import annotations

import math
from collections.abc import Iterable


def g_squared(cells: Iterable[tuple[float, float]]) -> float:
    """2 Σ O ln(O / E) over (observed, expected) cells; cells with O = 0 add nothing."""
    return 2.0 * sum(o * math.log(o / e) for o, e in cells if o > 0)


def frequency_g2(a: float, b: float, n1: float, n2: float) -> float:
    """Signed G² comparing a hits in n1 words with b hits in n2 words (Rayson & Garside):
    the two frequency cells; + when the first corpus uses it relatively more."""
    if n1 <= 0 or n2 <= 0 or a + b <= 0:
        return 0.0
    e1 = n1 * (a + b) / (n1 + n2)
    e2 = n2 * (a + b) / (n1 + n2)
    g2 = g_squared(((a, e1), (b, e2)))
    return g2 if a / n1 >= b / n2 else -g2


def contingency_g2(o11: float, r1: float, c1: float, n: float) -> float:
    """Signed G² of a 2x2 table given O11, its row total R1, column total C1 and N."""
    if n <= 0:
        return 0.0
    observed = (o11, r1 - o11, c1 - o11, n - r1 - c1 + o11)
    rows = (r1, r1, n - r1, n - r1)
    cols = (c1, n - c1, c1, n - c1)
    g2 = g_squared((o, r * c / n) for o, r, c in zip(observed, rows, cols))
    return -g2 if o11 < r1 * c1 / n else g2


def p_value(g2: float) -> float:
    """Upper tail of the chi-square distribution with 1 degree of freedom at |G²|."""
    return math.erfc(math.sqrt(abs(g2) / 2.0))


def log_ratio(a: float, b: float, n1: float, n2: float) -> float:
    """log2 of the ratio of relative frequencies (Hardie 2014); zeros count as 0.5."""
    return math.log2((max(a, 0.5) / n1) / (max(b, 0.5) / n2))


def pct_diff(a: float, b: float, n1: float, n2: float) -> float:
    """%DIFF (Gabrielatos & Marchi 2012): (NF1 - NF2) * 100 / NF2 over normalised
    frequencies; +inf when only the group uses the term, 0 when neither does."""
    nf1, nf2 = a / n1, b / n2
    if nf2 == 0:
        return 0.0 if nf1 == 0 else math.inf
    return (nf1 - nf2) * 100.0 / nf2


def log_dice(f_xy: float, f_x: float, f_y: float) -> float:
    """logDice (Rychlý 2008): 14 + log2(2 f_xy / (f_x + f_y)); -inf without co-occurrence."""
    if f_xy <= 0:
        return float("-inf")
    return 14.0 + math.log2(2.0 * f_xy / (f_x + f_y))
