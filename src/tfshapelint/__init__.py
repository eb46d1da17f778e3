"""tfshapelint: a static linter that infers TensorFlow tensor shapes and reports shape bugs."""

__version__ = "0.1.0"
