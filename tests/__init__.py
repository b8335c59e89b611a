# SPDX-License-Identifier: GPL-2.0
"""The Python of the tests: the rig (tests.rig), the system tests
(tests.system), the stress loops (tests.stress) and the mutation runner
(tests.mutation), with bench/ (package bench) imported from the checkout's
root: `from tests.rig import machine as rig`.

Every script runs as a module from the root, `python3 -m
tests.system.node_boot`, never as a file; no code changes the module
search path (README.md, "Running the Python scripts";
tests/rig/test_package.py).
"""
