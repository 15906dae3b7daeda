"""The domain core, the only part of ``relocation`` that other packages may import.

It holds the problem and plan types, the scenario and its one override engine, errors,
labels, cost and admissibility rules, land-use rules and the independent rule checker.
``geodata``, ``models`` and ``maps`` import from ``relocation`` only this package; it imports
only numpy, pandas and pydantic (and the standard library).
"""
