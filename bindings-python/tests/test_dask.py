"""The Dask recipe of docs/dask-spark.md, run on a dask.distributed
LocalCluster: 1,000,000 people in 8 partitions, each partition generated
inside a worker from a seeded numpy RNG and reduced to a GapAggregator
state (bytes); the states are merged in a tree and published. The result
must equal one pass over all the people on this machine. The second test
does the same with a dask.dataframe and ``map_partitions``."""

from __future__ import annotations

import numpy as np
import pytest

from kompetens import GapAggregator

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

N_PEOPLE = 1_000_000
N_PARTS = 8
N_COMP = 21
N_UNITS = 2000


def _tree() -> list[int]:
    """A 4-level tree of 2,000 units: 1 root, 10, 100, 1889 below."""
    rng = np.random.default_rng(42)
    parents = [-1] + [0] * 10
    parents += [int(rng.integers(1, 11)) for _ in range(100)]
    parents += [int(rng.integers(11, 111)) for _ in range(N_UNITS - len(parents))]
    return parents


def _partition(i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Partition ``i`` of the people, made from a seeded RNG (the same on
    every machine)."""
    rng = np.random.default_rng(1000 + i)
    n = N_PEOPLE // N_PARTS
    levels = rng.integers(0, 9, size=(n, N_COMP), dtype=np.int8)
    levels[rng.random((n, N_COMP)) < 0.1] = -1
    required = rng.integers(0, 9, size=(n, N_COMP), dtype=np.int8)
    units = rng.integers(0, N_UNITS, size=n).astype(np.uint32)
    return levels, required, units


def _competences() -> list[str]:
    return [f"c{j}" for j in range(N_COMP)]


def partial_state(i: int, parents: list[int]) -> bytes:
    """Map step: one partition → the bytes of its aggregation state."""
    levels, required, units = _partition(i)
    agg = GapAggregator(parents, _competences())
    agg.update(levels, required, units)
    return agg.to_bytes()


def merge_states(a: bytes, b: bytes) -> bytes:
    """Reduce step: two states → their merge."""
    return GapAggregator.from_bytes(a).merge(GapAggregator.from_bytes(b)).to_bytes()


def test_dask_local_cluster_equals_single_machine():
    from dask import delayed
    from distributed import Client, LocalCluster

    parents = _tree()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(
        cluster
    ) as client:
        parts = [delayed(partial_state)(i, parents) for i in range(N_PARTS)]
        while len(parts) > 1:  # tree reduction
            parts = [delayed(merge_states)(*parts[k : k + 2]) if k + 1 < len(parts) else parts[k]
                     for k in range(0, len(parts), 2)]
        state_bytes = client.compute(parts[0]).result()
        # the states also pickle: a GapAggregator can be a task result itself
        shipped = client.submit(lambda b: GapAggregator.from_bytes(b), state_bytes).result()
        # and so does a publication finished on a worker
        published = client.submit(
            lambda b: GapAggregator.from_bytes(b).finish(min_group=5, suppression="primary"), state_bytes
        ).result()
    distributed_agg = GapAggregator.from_bytes(state_bytes)
    assert distributed_agg.people == N_PEOPLE
    assert shipped == distributed_agg

    single = GapAggregator(parents, _competences())
    data = [_partition(i) for i in range(N_PARTS)]
    single.update(
        np.concatenate([d[0] for d in data]),
        np.concatenate([d[1] for d in data]),
        np.concatenate([d[2] for d in data]),
    )
    assert single == distributed_agg
    a = single.finish(min_group=5, suppression="primary")
    b = distributed_agg.finish(min_group=5, suppression="primary")
    assert a.columns == b.columns
    assert a.top_needs == b.top_needs
    assert published == b and published.columns == b.columns


def _frame(i: int):
    """Partition ``i`` as a pandas DataFrame: one row per person, a
    ``unit`` column, ``lvl_<c>`` and ``req_<c>`` int8 columns."""
    import pandas as pd

    levels, required, units = _partition(i)
    cols = {"unit": units}
    for j, c in enumerate(_competences()):
        cols[f"lvl_{c}"] = levels[:, j]
    for j, c in enumerate(_competences()):
        cols[f"req_{c}"] = required[:, j]
    return pd.DataFrame(cols)


def partition_state_series(pdf, parents: list[int]):
    """The docs' map step for ``map_partitions``: a partition of the
    people's DataFrame → a one-element object Series holding its state."""
    import pandas as pd

    comps = _competences()
    agg = GapAggregator(parents, comps)
    agg.update(pdf[[f"lvl_{c}" for c in comps]].to_numpy(), pdf[[f"req_{c}" for c in comps]].to_numpy(),
               pdf["unit"].to_numpy())
    return pd.Series([agg.to_bytes()], dtype=object)


def test_dask_dataframe_map_partitions_equals_single_machine():
    """The dask.dataframe form of the recipe: 1,000,000 people in 8
    partitions made inside the workers, ``map_partitions`` to one state per
    partition, the states merged; the secondary-protected publication is
    the one-machine publication, bit for bit."""
    import dask.dataframe as dd
    from dask import delayed
    from distributed import Client, LocalCluster

    parents = _tree()
    meta = _frame(0).iloc[:0]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(
        cluster
    ):
        ddf = dd.from_delayed([delayed(_frame)(i) for i in range(N_PARTS)], meta=meta)
        assert ddf.npartitions == N_PARTS
        states = ddf.map_partitions(partition_state_series, parents, meta=(None, object)).compute().tolist()
    assert len(states) == N_PARTS
    merged = GapAggregator.from_bytes(states[0])
    for s in states[1:]:
        merged.merge(GapAggregator.from_bytes(s))
    assert merged.people == N_PEOPLE
    single = GapAggregator(parents, _competences())
    data = [_partition(i) for i in range(N_PARTS)]
    single.update(np.concatenate([d[0] for d in data]), np.concatenate([d[1] for d in data]),
                  np.concatenate([d[2] for d in data]))
    assert merged == single
    a = single.finish(min_group=5, suppression="secondary")
    b = merged.finish(min_group=5, suppression="secondary")
    assert a.columns == b.columns and a.top_needs == b.top_needs
    assert b.audit().clean
