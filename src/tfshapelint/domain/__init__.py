"""The value domain: abstract values, below both the op registry (``ops/``) and the interpreter
(``analysis/``). It imports only ``shapes/``; nothing here knows an API or a statement."""
