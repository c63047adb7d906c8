"""Tools shared by the tests and the benchmarks (bench/), which never import tests/."""
