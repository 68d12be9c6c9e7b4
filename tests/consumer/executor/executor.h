// The consumer's own executor/executor.h, unrelated to xsync's.
#ifndef CONSUMER_EXECUTOR_EXECUTOR_H_
#define CONSUMER_EXECUTOR_EXECUTOR_H_

#define CONSUMER_EXECUTOR_INCLUDED 1

namespace consumer {
inline int Threads() { return 1; }
}  // namespace consumer

#endif  // CONSUMER_EXECUTOR_EXECUTOR_H_
