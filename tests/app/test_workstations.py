"""Several workstations (real processes) on one PostgreSQL: calls, dispositions, transcription
jobs and call-list entries at once -- nothing lost, nothing duplicated, nothing claimed twice.
(The short version of scripts/load_test.py; its transcription is a fake engine.)"""

from __future__ import annotations

import multiprocessing as mp
import time

import pytest

from app import loadtest as L


def _run(args):
    return L.workstation(*args)


@pytest.mark.postgres
def test_four_workstations_race_without_losing_or_doubling_anything(pg_url):
    info = L.seed(pg_url, patients=60, jobs=40, entries=30)
    start_at = time.time() + 1.5
    work = [(f"ws{i}", pg_url, 3.0, info["phones"], info["today"], start_at, i) for i in range(4)]
    with mp.get_context("fork").Pool(4) as pool:
        reports = pool.map(_run, work)
    checks = L.verify(pg_url, reports)
    assert checks["errors"] == 0, checks["error_samples"]
    assert checks["calls_written"] > 0 and checks["jobs_completed"] > 0 and checks["list_entries_handed_out"] > 0
    assert checks["calls_lost"] == checks["calls_duplicated"] == checks["calls_unreported"] == 0
    assert checks["dispositions_lost"] == 0
    assert checks["disposition_change_events"] == checks["dispositions_saved"]
    assert checks["jobs_double_claimed"] == checks["jobs_done_twice"] == checks["jobs_lost"] == 0
    assert checks["list_entries_double_claimed"] == checks["list_attempts_twice"] == 0
    assert checks["list_entries_done"] == checks["list_entries_handed_out"]
    assert L.ok(checks)
