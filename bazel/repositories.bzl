"""xsync's external dependencies, for xsync's own WORKSPACE and its consumers.

A consuming workspace calls, after declaring @xsync:

    load("@xsync//bazel:repositories.bzl", "xsync_dependencies")
    xsync_dependencies()

Each repository is declared only if the workspace has not declared one of the
same name already, so a consumer may pin its own Abseil, GoogleTest or
Benchmark by declaring them first.
"""

load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive")
load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")

def xsync_dependencies():
    """Declares Abseil LTS 20220623.1, GoogleTest 1.12.1 and Benchmark 1.7.1."""
    maybe(
        http_archive,
        name = "com_google_absl",
        urls = ["https://github.com/abseil/abseil-cpp/archive/refs/tags/20220623.1.tar.gz"],
        strip_prefix = "abseil-cpp-20220623.1",
        sha256 = "91ac87d30cc6d79f9ab974c51874a704de9c2647c40f6932597329a282217ba8",
    )
    maybe(
        http_archive,
        name = "com_google_googletest",
        urls = ["https://github.com/google/googletest/archive/refs/tags/release-1.12.1.tar.gz"],
        strip_prefix = "googletest-release-1.12.1",
        sha256 = "81964fe578e9bd7c94dfdb09c8e4d6e6759e19967e397dbea48d1c10e45d0df2",
    )
    maybe(
        http_archive,
        name = "com_github_google_benchmark",
        urls = ["https://github.com/google/benchmark/archive/refs/tags/v1.7.1.tar.gz"],
        strip_prefix = "benchmark-1.7.1",
        sha256 = "6430e4092653380d9dc4ccb45a1e2dc9259d581f4866dc0759713126056bc1d7",
    )
