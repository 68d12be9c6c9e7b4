"""A model-based fuzz target and its corpus regression test."""

def xsync_fuzz_target(name, deps = [], tags = []):
    """Declares the fuzz binary `<name>` and `<name>_regression_test`.

    Under --config=fuzz (clang, --define=xsync_fuzz=libfuzzer) the binary is a
    libFuzzer fuzzer; otherwise it replays the inputs it is given. The test
    replays the checked-in corpus/<name>/ (seeds and every crash found) in
    every build configuration.

    Args:
      name: the target, with `<name>.cc` defining LLVMFuzzerTestOneInput.
      deps: the libraries it drives.
      tags: tags of both targets.
    """
    native.cc_binary(
        name = name,
        testonly = True,
        srcs = [name + ".cc"],
        linkopts = select({
            ":libfuzzer": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        tags = tags,
        deps = deps + [":check"] + select({
            ":libfuzzer": [],
            "//conditions:default": [":replay_main"],
        }),
    )
    native.cc_test(
        name = name + "_regression_test",
        size = "medium",
        srcs = [name + ".cc"],
        args = ["fuzz/corpus/" + name],
        data = native.glob(["corpus/" + name + "/*"]),
        tags = tags,
        deps = deps + [
            ":check",
            ":replay_main",
            "//tests:test_util",
        ],
    )
