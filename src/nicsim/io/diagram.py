"""The network drawn: Mermaid text for the docs, a PNG for reports."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path


def _grouped_edges(network):
    edges = defaultdict(list)
    for src, dst, sig in network.edges():
        if src != dst:
            edges[(src, dst)].append(sig)
    return edges


def network_mermaid(network) -> str:
    lines = ["flowchart LR"]
    for name, m in network.modules.items():
        lines.append(f'    {name}["{m.title}"]')
    lines.append('    protocol(["protocol: stressors, sleep, LPS, interventions"])')
    for (src, dst), sigs in sorted(_grouped_edges(network).items()):
        lines.append(f"    {src} -->|{', '.join(sorted(set(sigs)))}| {dst}")
    exo = defaultdict(set)
    for m in network.modules.values():
        for i in m.inputs.values():
            if i.exogenous:
                exo[m.name].add(i.name)
    for dst, names in sorted(exo.items()):
        lines.append(f"    protocol -.->|{', '.join(sorted(names))}| {dst}")
    return "\n".join(lines) + "\n"


def network_png(network, path: Path | str) -> Path:
    # lazy: matplotlib is heavy; only drawing needs it
    import matplotlib

    matplotlib.use("Agg")
    # lazy: matplotlib is heavy; only drawing needs it
    import matplotlib.pyplot as plt

    names = list(network.modules)
    pos = {n: (math.cos(2 * math.pi * k / len(names)), math.sin(2 * math.pi * k / len(names)))
           for k, n in enumerate(names)}
    fig, ax = plt.subplots(figsize=(9, 9))
    for (src, dst), sigs in _grouped_edges(network).items():
        (x0, y0), (x1, y1) = pos[src], pos[dst]
        ax.annotate("", xy=(x1 * 0.9, y1 * 0.9), xytext=(x0 * 0.9, y0 * 0.9),
                    arrowprops={"arrowstyle": "->", "color": "tab:blue", "lw": 1,
                                "connectionstyle": "arc3,rad=0.15"})
        ax.text((x0 + x1) * 0.45, (y0 + y1) * 0.45, "\n".join(sorted(set(sigs))), fontsize=6,
                ha="center", color="tab:blue")
    for n, (x, y) in pos.items():
        ax.text(x, y, network.modules[n].title, ha="center", va="center", fontsize=9,
                bbox={"boxstyle": "round", "fc": "lightyellow", "ec": "k"})
    ax.set_xlim(-1.4, 1.4)
    ax.set_ylim(-1.4, 1.4)
    ax.axis("off")
    ax.set_title("nicsim network: modules and the signals they exchange")
    path = Path(path)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path
