"""Differential suite: prints what TensorFlow rejects and we let pass (missed findings), the
documented silent bugs confirmed, and where we know less than TensorFlow (imprecisions)."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter):
    from .harness import NOTES

    if not NOTES:
        return
    terminalreporter.section("differential notes: tfshapelint vs TensorFlow (not failures)")
    for (kind, op, _key), (count, example) in sorted(NOTES.items()):
        first = example.splitlines()
        terminalreporter.write_line(f"{kind:9} {op:34} x{count:<4} {first[0][:200]}")
        for line in first[1:]:
            terminalreporter.write_line(f"{'':50}{line[:200]}")
