# SPDX-License-Identifier: GPL-2.0
"""The Python of the tests: the rig (tests.rig), the system tests
(tests.system), the stress loops (tests.stress) and the mutation runner
(tests.mutation), with bench/ (package bench) imported from the checkout's
root: `from tests.rig import machine as rig`.

Every script runs from the root with `python3 -m tests.system.node_boot`
or as a file, `python3 tests/system/node_boot.py`: a script's first lines
then put the root on sys.path (README.md, "Running the Python scripts").
"""
