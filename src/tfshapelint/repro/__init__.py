"""Reproducers: for a finding, a short standalone TensorFlow program that shows it.

``build`` writes the program from the finding's recorded op applications (the failing call and
what it reads, as the user wrote each call, with inputs as zeros of bound sizes); ``harness`` runs
programs in another Python, which imports TensorFlow (this process never does); ``command`` is the
``tfshapelint repro`` command.
"""
