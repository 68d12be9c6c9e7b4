"""A benchmark suite: a library of registered cases plus its own binary."""

def benchmark_suite(name, deps = [], tags = []):
    """Declares `<name>_suite` (alwayslink library) and the binary `<name>`.

    Args:
      name: the suite, with `<name>.cc` as its source.
      deps: what the suite's source needs besides Benchmark and the baselines.
      tags: tags of both targets ("exceptions": needs them to build).
    """
    native.cc_library(
        name = name + "_suite",
        testonly = True,
        tags = tags,
        srcs = [name + ".cc"],
        deps = deps + [
            ":baselines",
            "//tests:test_util",
            "@com_github_google_benchmark//:benchmark",
        ],
        alwayslink = True,
    )
    native.cc_binary(
        name = name,
        testonly = True,
        tags = tags,
        deps = [
            ":" + name + "_suite",
            "@com_github_google_benchmark//:benchmark_main",
        ],
    )
