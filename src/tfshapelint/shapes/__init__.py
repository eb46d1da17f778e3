"""Dims and shapes: the algebra, normal forms and printing."""
