"""A course exercise: a runnable program plus a test of its behaviour."""

def xsync_example(name, deps = [], tags = [], hdrs = []):
    """Declares the binary `name` (from `name.cc`) and `name_test`.

    The test compiles the same source with XSYNC_EXAMPLE_NO_MAIN, so it can
    call the exercise's `Run...` function and check what it did.

    Args:
      name: the exercise.
      deps: the xsync libraries and Abseil targets it uses.
      tags: for both targets ("cpp20" for coroutine examples).
      hdrs: headers the exercise shares with another one.
    """
    native.cc_binary(
        name = name,
        srcs = [name + ".cc"] + hdrs,
        tags = tags,
        deps = deps,
    )
    native.cc_test(
        name = name + "_test",
        srcs = [name + ".cc", name + "_test.cc"] + hdrs,
        copts = ["-DXSYNC_EXAMPLE_NO_MAIN"],
        tags = tags,
        # test_util carries the TSAN suppression for Abseil's known false
        # positive (see testing/tsan_suppressions.cc).
        deps = deps + [
            "//tests:test_util",
            "@com_google_googletest//:gtest_main",
        ],
    )
