"""Cell seeds: a function of the master seed and the ordered coordinates, the same in every process."""

import os
import subprocess
import sys

from numerics.seeding import cell_seed_sequence


def state(master, coordinates):
    return cell_seed_sequence(master, coordinates).generate_state(2).tolist()


def test_the_order_of_the_coordinates_matters():
    assert state(1, (1, 2)) != state(1, (2, 1))
    assert state(1, ("capacity", 0.1, 50)) != state(1, ("capacity", 50, 0.1))


def test_a_string_coordinate_gives_the_same_seed_in_another_process_with_another_hash_seed():
    code = ("from numerics.seeding import cell_seed_sequence as c; "
            "print(c(1, ('phase', 'x')).generate_state(2).tolist())")
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": hash_seed}).stdout.strip()
        for hash_seed in ("1", "2")
    }
    assert outputs == {str(state(1, ("phase", "x")))}
