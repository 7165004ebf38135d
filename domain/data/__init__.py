"""Constant data packaged with the domain (the skills table), read with importlib.resources."""
