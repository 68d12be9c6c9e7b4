#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
TEST(Smoke, Works) { absl::Mutex mu; absl::MutexLock l(&mu); EXPECT_TRUE(true); }
