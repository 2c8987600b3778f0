"""forumnlp.dask: the tag flow partition by partition, equal to the single-machine result."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402

from forumnlp.dask import tag_dask  # noqa: E402
from forumnlp.errors import InputError  # noqa: E402
from forumnlp.ingest import read  # noqa: E402
from forumnlp.pipeline import prepare_units, tag_frame  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def comments() -> pd.DataFrame:
    return synth.make_comments(1500, seed=21)


def _partition_rows(ddf: object) -> list[int]:
    return ddf.map_partitions(len).compute(scheduler="sync").tolist()  # type: ignore[attr-defined]


def _expected_locations(single: pd.DataFrame, sizes: list[int]) -> list[str]:
    """Map single-machine 'row n' to 'partition p, row m' with the partition sizes."""
    bounds = pd.Series(sizes).cumsum().tolist()
    out = []
    for loc in single["location"]:
        n = int(loc.removeprefix("row "))
        p = next(i for i, b in enumerate(bounds) if n <= b)
        out.append(f"partition {p}, row {n - (bounds[p - 1] if p else 0)}")
    return out


def test_cluster_result_equals_single_machine(client: object, comments: pd.DataFrame) -> None:
    ddf = dd.from_pandas(comments, npartitions=4)
    lazy = tag_dask(ddf, text_column="comment", id_column="id", unit="sentence", redact=False)
    got = lazy.compute().reset_index(drop=True)
    single = tag_frame(read(comments, text_columns=["comment"], id_column="id"),
                       unit="sentence", redact=False)
    assert list(got.columns) == list(single.columns)
    assert got.dtypes.to_dict() == single.dtypes.to_dict() == lazy.dtypes.to_dict()
    pd.testing.assert_frame_equal(got.drop(columns="location"), single.drop(columns="location"))
    assert got["location"].tolist() == _expected_locations(single, _partition_rows(ddf))
    assert got["unit_id"].is_unique and len(got) > len(comments)


def test_pseudonym_key_gives_run_wide_placeholders() -> None:
    # comments with personal details spread over several partitions
    df = synth.make_comments(2000, seed=5)
    df = df[df["comment"].str.contains("Mrs |Dr |@example|aged", regex=True)].head(40)
    ddf = dd.from_pandas(df.reset_index(drop=True), npartitions=3)
    # the in-process scheduler: partitions are as independent as on a cluster, and spaCy's
    # NER loads once for both runs
    got = tag_dask(ddf, text_column="comment", id_column="id", unit="sentence",
                   pseudonym_key="k1").compute(scheduler="sync").reset_index(drop=True)
    from forumnlp.redact import Redactor

    units = pd.concat(prepare_units([read(df, text_columns=["comment"], id_column="id")],
                                    unit="sentence",
                                    redactor=Redactor(pseudonym_key="k1", use_ner=False)))
    single = tag_frame(units, redact=False)
    pd.testing.assert_frame_equal(got.drop(columns="location"),
                                  single.drop(columns="location").reset_index(drop=True))
    assert got["text"].str.contains(r"\[PERSON_[0-9a-f]{8}\]").any()
    assert not got["text"].str.contains("example.org").any()


def test_numbered_placeholders_restart_in_each_partition() -> None:
    df = pd.DataFrame({"id": ["1", "2"], "text": ["Mrs Kerr called on 07700 900123.",
                                                  "Call 07700 900456 about Jack Smith."]})
    got = tag_dask(dd.from_pandas(df, npartitions=2), id_column="id").compute(scheduler="sync")
    assert got["text"].tolist() == ["[PERSON_1] called on [PHONE_1].",
                                    "Call [PHONE_1] about [PERSON_1]."]


def test_without_id_column_ids_name_the_partition() -> None:
    df = pd.DataFrame({"text": ["Keep joint visits.", "", "Stop the paperwork. More training.",
                                "Good session"], "agency": ["Police", "", "Health", "NHS"]})
    ddf = dd.from_pandas(df, npartitions=2)
    got = tag_dask(ddf, unit="sentence", redact=False).compute(scheduler="sync")
    assert got["record_id"].tolist() == ["dataframe:0:1", "dataframe:1:1", "dataframe:1:1",
                                         "dataframe:1:2"]
    assert got["unit_id"].is_unique
    assert got["location"].tolist()[0] == "partition 0, row 1"


def test_blank_ids_and_empty_partitions() -> None:
    df = pd.DataFrame({"id": ["a", "", "c", "d"], "text": ["Keep joint visits.", "More CP training.",
                                                          "Good session", "Stop closing cases"]})
    ddf = dd.from_pandas(df, npartitions=2)
    only_last = ddf[ddf["id"] == "d"]  # partition 0 becomes empty
    got = tag_dask(only_last, id_column="id", redact=False).compute(scheduler="sync")
    assert got["record_id"].tolist() == ["d"]
    got = tag_dask(ddf, id_column="id", redact=False).compute(scheduler="sync")
    assert got["record_id"].tolist() == ["a", "dataframe:0:2", "c", "d"]


def test_bad_options_fail_early() -> None:
    ddf = dd.from_pandas(pd.DataFrame({"comment": ["x"]}), npartitions=1)
    with pytest.raises(InputError, match="no text column 'text'"):
        tag_dask(ddf)
    with pytest.raises(InputError, match="no id column"):
        tag_dask(ddf, text_column="comment", id_column="nope")
    with pytest.raises(InputError, match="unit"):
        tag_dask(ddf, text_column="comment", unit="word")
    with pytest.raises(InputError, match="pseudonym_key"):
        tag_dask(ddf, text_column="comment", redact=False, pseudonym_key="k")
