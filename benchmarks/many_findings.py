"""One file with many findings: a block of 11 lines holding one finding (TSL012, whose message quotes
the user's code), repeated. With its twin without findings (the same lines, the operand squeezed),
it shows whether a file's time grows linearly with its findings.

    python benchmarks/many_findings.py BLOCKS PATH [--clean]
"""

from __future__ import annotations

import sys
from pathlib import Path

LINES_PER_BLOCK = 11


def block(index: int, clean: bool) -> str:
    predicted = f"tf.squeeze(predicted_{index}, -1)" if clean else f"predicted_{index}"
    return f"""

def block_{index}():
    prices_{index} = tf.constant([2.45, 1.50, 3.30])
    predicted_{index} = tf.zeros([3, 1])
    # every price minus every prediction when the column is not squeezed:
    # a 3x3 matrix that the mean turns into one number
    error_{index} = prices_{index} - {predicted}
    loss_{index} = tf.reduce_mean(tf.square(error_{index}))
    return loss_{index}

"""


def source(blocks: int, clean: bool = False) -> str:
    """``blocks`` blocks of LINES_PER_BLOCK lines: one finding in each, or none when ``clean``."""
    return "import tensorflow as tf\n" + "".join(block(index, clean) for index in range(blocks))


def write(path: Path, blocks: int, clean: bool = False) -> Path:
    path.write_text(source(blocks, clean))
    return path


if __name__ == "__main__":
    write(Path(sys.argv[2]), int(sys.argv[1]), clean="--clean" in sys.argv[3:])
