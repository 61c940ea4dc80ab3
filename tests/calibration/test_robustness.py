"""compare states whether the sign of each doctrine difference is robust across the prior ranges."""
from __future__ import annotations

import numpy as np

from crossings.sim.compare import compare
from crossings.sim.sensitivity import UNIDENTIFIED


def test_compare_states_sign_robustness():
    comp = compare(["status_quo", "sea_interception"], 400, seed=3, block_size=200, fan_variables=())
    rob = comp.robustness["sea_interception - status_quo"]
    d = comp.paired("sea_interception")
    for outcome, r in rob.items():
        p = float((d[outcome].to_numpy() > 0).mean())        # independently from the paired totals
        assert r["p_positive"] == p
        assert r["robust"] == (p > 0.9 or p < 0.1)
        if r["robust"]:
            assert "robust" in r["statement"] and "not robust" not in r["statement"]
        else:
            assert "not robust" in r["statement"]
            named = [k for k in UNIDENTIFIED if k in r["statement"]]
            assert named, r["statement"]
    # intercepting taxi-boats at sea prevents more people in every replicate: a robust sign
    assert rob["migrants_prevented"]["robust"] and rob["migrants_prevented"]["p_positive"] > 0.9
    assert "is the sign robust?" in comp.to_text()
    assert comp.to_dict()["robustness"] == comp.robustness
