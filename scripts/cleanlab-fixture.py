"""
Makes src/hardness/label-issues/fixtures/cleanlab.json: cleanlab's own outputs on small random
problems, for confident-learning.test.ts to compare against (the TypeScript port must match them).
Run with cleanlab 2.x and numpy installed: python3 scripts/cleanlab-fixture.py
"""
import json
import numpy as np
from cleanlab.count import compute_confident_joint, estimate_latent, get_confident_thresholds, num_label_issues
from cleanlab.filter import find_label_issues

cases = []
for seed, (n, K, flip) in enumerate([(80, 4, 0.15), (120, 3, 0.25), (200, 6, 0.1), (60, 5, 0.3)]):
    rng = np.random.default_rng(seed)
    true = rng.integers(0, K, n)
    alpha = np.ones((n, K))
    alpha[np.arange(n), true] = 6.0
    probs = np.array([rng.dirichlet(a) for a in alpha])
    labels = true.copy()
    flips = rng.random(n) < flip
    labels[flips] = (labels[flips] + rng.integers(1, K, flips.sum())) % K
    cj = compute_confident_joint(labels, probs, calibrate=False)
    cal = compute_confident_joint(labels, probs)
    _, nm, _ = estimate_latent(cal, labels)
    issues = {
        f"{f}|{r}": find_label_issues(labels, probs, filter_by=f, return_indices_ranked_by=r, n_jobs=1).tolist()
        for f in ["prune_by_noise_rate", "prune_by_class", "both"]
        for r in ["self_confidence", "normalized_margin"]
    }
    cases.append({
        "labels": labels.tolist(),
        "probs": probs.tolist(),
        "thresholds": get_confident_thresholds(labels, probs).tolist(),
        "joint": cj.tolist(),
        "calibrated": cal.tolist(),
        "noise_matrix": nm.tolist(),
        "issues": issues,
        "num_label_issues": int(num_label_issues(labels, probs)),
    })
with open("src/hardness/label-issues/fixtures/cleanlab.json", "w") as f:
    json.dump({"about": "cleanlab outputs (github.com/cleanlab/cleanlab at 7506257) made by scripts/cleanlab-fixture.py", "cases": cases}, f)
