"""The stress loops' result files: one CSV row appended per run."""

import csv
import os


def append_row(path, header, row):
    """Append @row to the CSV file @path, writing @header first when the
    file is new."""
    new = not os.path.exists(path)
    with open(path, "a", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        if new:
            w.writerow(header)
        w.writerow(row)
