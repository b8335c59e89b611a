# SPDX-License-Identifier: GPL-2.0
"""The benchmarks (bench.*), the fault-isolation experiments
(bench.experiments) and their reports (bench.report), imported from the
checkout's root like the rig (tests/__init__.py).
"""
