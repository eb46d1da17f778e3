"""Differential suite: prints what TensorFlow rejects and we let pass (missed findings), the
documented silent bugs confirmed, and where we know less than TensorFlow (imprecisions)."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter):
    from .harness import NOTES, VERDICTS

    if not VERDICTS:
        return
    terminalreporter.section("differential verdicts per op (examples)")
    ops = sorted({op for op, _ in VERDICTS})
    kinds = ["both accept", "both reject", "confirmed", "missed", "imprecise", "unknowns"]
    terminalreporter.write_line(f"{'op':40}" + "".join(f"{kind:>13}" for kind in kinds))
    for op in ops:
        terminalreporter.write_line(f"{op:40}" + "".join(f"{VERDICTS[(op, kind)]:>13}" for kind in kinds))
    terminalreporter.section("differential notes: tfshapelint vs TensorFlow (not failures)")
    for (kind, op, key), (count, example) in sorted(NOTES.items()):
        terminalreporter.write_line(f"{kind:9} {op} x{count}: {key}")
        for line in example.splitlines():
            terminalreporter.write_line(f"    {line[:220]}")
