"""The memory budget: every allocating command refuses an impossible size in one line (exit 2) before allocating.

Each case would ask for far more than the machine has (TiB to PiB, or GiB beyond ``--max-memory``); the refusal
must come from the estimate, before any array exists, so these run in milliseconds.
"""

import resource

import pytest

from numerics import memory
from test_cli_derive import superposition
from theory.validation import InvalidParameter

#: (command line, option the refusal names, words of the estimate).
IMPOSSIBLE = [
    (["phase-transition", "--n", "1000000"], "--n", "sensing matrices of 900000 x 1000000"),
    (["phase-transition", "--n", "3000", "--batch", "20", "--max-memory", "1G"], "--batch", "--batch 7 would fit"),
    (["capacity", "--m-grid", "10000000"], "--m-grid", "sensing matrix (n up to 4 m f_l1(p))"),
    (["capacity", "--batch", "1000", "--workers", "2", "--max-memory", "100M"], "--batch", "(2 workers at once)"),
    (["toy", "intro", "--batch-size", "1000000000"], "--batch-size", "7 toy models of 2 x 5"),
    (["toy", "capacity", "--n", "100000000"], "--n", "4 toy models of 8 x 100000000"),
    (["willshaw", "--m-min", "1000000", "--m-max", "2000000"], "--m-max", "Willshaw memories of 2000000 x 2000000"),
    (["recover", "--batch", "1000000000", "--shared-matrix"], "--batch", "1000000000 signals of length 200"),
    (["recover", "--m", "100000", "--n", "100000", "--shared-matrix"], "--n", "100000 x 100000 sensing matrix"),
    (["verify", "--jobs", "3", "--max-memory", "1G"], "--jobs", "--jobs 1 would fit"),
]


@pytest.mark.parametrize("arguments, option, words", IMPOSSIBLE)
def test_an_impossible_size_is_refused_in_one_line_naming_the_option_estimate_and_limit(tmp_path, arguments, option,
                                                                                        words):
    result = superposition(*arguments, "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert f"error: {option} needs about" in line and words in line and "above the memory limit of" in line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("cell-*.json"))


def test_shapes_refuses_a_device_and_a_csv_larger_than_the_budget(tmp_path):
    result = superposition("shapes", "--data", "/dev/zero")
    assert result.returncode == 2 and "--data must be a regular CSV file" in result.stderr
    big = tmp_path / "big.csv"
    big.write_text("x" * 100_000)
    result = superposition("shapes", "--data", str(big), "--max-memory", "1M")
    assert result.returncode == 2
    assert "--data needs about 3.8 MiB for the 97.7 KiB CSV file" in result.stderr


def test_the_default_limit_is_half_the_available_memory_and_respects_ulimit():
    available = memory.host_available_bytes()
    limit = memory.memory_limit()
    assert limit.bytes == int(memory.DEFAULT_FRACTION * available) and "`max_memory`" in limit.source
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        assert available > 0
    else:
        assert available <= soft


def test_largest_batch_is_suggested_only_when_the_fixed_part_fits():
    estimate = memory.Estimate("n", "demo", fixed=100, per_item=10, items=50, batch_parameter="batch")
    assert estimate.bytes == 600 and estimate.largest_batch(300) == 20 and estimate.largest_batch(50) is None
    with pytest.raises(InvalidParameter, match=r"^batch needs about 600 B .*; `batch` 20 would fit$"):
        memory.check_fits(estimate, memory.MemoryLimit(300, "test"))
    with pytest.raises(InvalidParameter, match=r"^n needs about 600 B"):
        memory.check_fits(estimate, memory.MemoryLimit(50, "test"))


def test_a_run_that_fits_is_not_refused(tmp_path):
    result = superposition("recover", "--m", "20", "--n", "40", "--batch", "5", "--max-memory", "64M")
    assert result.returncode == 0, result.stderr
