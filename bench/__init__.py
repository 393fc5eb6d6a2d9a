"""`make bench`: how fast the dashboard answers at small, medium and large scale (issue 8).

Run it with `python -m bench.run` (or `make bench`); bench/README.md says what each figure means.
"""
