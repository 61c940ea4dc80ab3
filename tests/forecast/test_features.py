"""The day-by-day feature state used in simulation equals the features the model was fitted on."""
from __future__ import annotations

import numpy as np
import pytest

from crossings.forecast import features as F


@pytest.mark.parametrize("p_cross", [0.03, 0.4, 0.9])
def test_recent_state_matches_the_moving_window(p_cross):
    rng = np.random.default_rng(0)
    n_paths, days = 50, 80
    boats = np.where(rng.random((n_paths, F.LAG + days)) < p_cross, rng.integers(1, 30, (n_paths, F.LAG + days)), 0)
    state = F.RecentState(boats[:, :F.LAG], fallback_level=7.0)
    for t in range(days):
        win = boats[:, t:t + F.LAG].astype(float)
        want_occ, want_cnt = F.recent(win, 7.0)
        got_occ, got_cnt = state.features()
        np.testing.assert_allclose(got_occ, want_occ, atol=1e-12)
        np.testing.assert_allclose(got_cnt, want_cnt, atol=1e-12)
        state.push(boats[:, t + F.LAG])


def test_recent_by_hand():
    w = np.zeros((1, F.LAG))
    w[0, -3] = 4  # a crossing three days ago (two dry days since)
    w[0, -10] = 8
    occ, cnt = F.recent(w, 99.0)
    np.testing.assert_allclose(occ, [[0, 1 / 7, 2 / 28]])
    np.testing.assert_allclose(cnt, [[np.log1p(6.0), np.log1p(2.0)]])
    occ, cnt = F.recent(np.zeros((1, F.LAG)), 99.0)
    np.testing.assert_allclose(cnt, [[np.log1p(99.0), np.log1p(F.LAG)]])
