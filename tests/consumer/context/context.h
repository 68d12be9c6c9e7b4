// The consumer's own context/context.h, unrelated to xsync's.
#ifndef CONSUMER_CONTEXT_CONTEXT_H_
#define CONSUMER_CONTEXT_CONTEXT_H_

#define CONSUMER_CONTEXT_INCLUDED 1

namespace consumer {
struct RequestContext {
  int id = 0;
};
}  // namespace consumer

#endif  // CONSUMER_CONTEXT_CONTEXT_H_
