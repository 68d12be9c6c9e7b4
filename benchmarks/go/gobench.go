// Copyright 2026 The xsync Authors.
//
// The Go peer of //benchmarks:compare: the same workloads as the C++ rows,
// with the same task counts, on Go's x/sync errgroup and semaphore, context,
// goroutines and time.AfterFunc. The compare runner builds this file offline
// in GOPATH mode against Debian's golang-go and golang-golang-x-sync-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o gobench gobench.go
//
// and runs one case per process, beside the same busy threads as the C++
// case it is compared with:
//
//	gobench -case=errgroup_empty -arg=8 -min_time=0.5
//
// It prints one line, "ns=<per task or per call> p50_us=<x> p99_us=<x>"
// (lateness only for timer cases), or "error=<why>".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

const (
	emptyTasks  = 10000
	sleepTasks  = 1000
	fanOutTasks = 10000
	timers      = 100000
)

// result is one case's measurement: the time per unit (task or call) and,
// for timer cases, the firing lateness percentiles.
type result struct {
	ns       float64
	p50, p99 float64 // Microseconds; negative when not a timer case.
}

// measure runs op (which does `units` units of work) until minTime has
// passed, after one untimed warm-up run, and returns the mean per unit, as
// Google Benchmark does for the C++ rows.
func measure(minTime time.Duration, units int, op func()) result {
	op()
	iterations := 0
	start := time.Now()
	for {
		op()
		iterations++
		if elapsed := time.Since(start); elapsed >= minTime {
			return result{
				ns:  float64(elapsed.Nanoseconds()) / float64(iterations*units),
				p50: -1, p99: -1,
			}
		}
	}
}

// work1us spins for about a microsecond of CPU, as the C++ Work1us does.
func work1us() {
	start := time.Now()
	for time.Since(start) < time.Microsecond {
	}
}

func errgroupTasks(limit, tasks int, task func()) func() {
	return func() {
		var g errgroup.Group
		g.SetLimit(limit)
		for i := 0; i < tasks; i++ {
			g.Go(func() error { task(); return nil })
		}
		_ = g.Wait()
	}
}

// failFast parks fanOutTasks tasks on the group context; the one submitted
// at position failing returns an error, which cancels the others.
func failFast(failing int) func() {
	fail := errors.New("fail fast")
	return func() {
		g, ctx := errgroup.WithContext(context.Background())
		for i := 0; i < fanOutTasks; i++ {
			if i == failing {
				g.Go(func() error { return fail })
			} else {
				g.Go(func() error { <-ctx.Done(); return nil })
			}
		}
		_ = g.Wait()
	}
}

func goWaitGroup() {
	var wg sync.WaitGroup
	wg.Add(emptyTasks)
	for i := 0; i < emptyTasks; i++ {
		go func() { wg.Done() }()
	}
	wg.Wait()
}

func cancelParentOfChildren(minTime time.Duration, children int) result {
	var total time.Duration
	iterations := 0
	for total < minTime || iterations < 10 {
		parent, cancel := context.WithCancel(context.Background())
		kids := make([]context.CancelFunc, children)
		for i := range kids {
			_, kids[i] = context.WithCancel(parent)
		}
		start := time.Now()
		cancel()
		total += time.Since(start)
		iterations++
		for _, k := range kids {
			k()
		}
	}
	return result{ns: float64(total.Nanoseconds()) / float64(iterations), p50: -1, p99: -1}
}

// timerLateness arms 100,000 time.AfterFunc timers with delays uniform in
// [0, 100 ms) at microsecond grain and records how late each one ran, from
// its due time or from its arming if that was later: the schedgroup-shaped
// peer of BM_Schedgroup_100kTimers.
func timerLateness(iterations int) result {
	rng := rand.New(rand.NewSource(1))
	lateness := make([]int64, timers)
	var total time.Duration
	for it := 0; it < iterations; it++ {
		var wg sync.WaitGroup
		wg.Add(timers)
		base := time.Now()
		for i := 0; i < timers; i++ {
			delay := time.Duration(rng.Int63n(100000)) * time.Microsecond
			due := base.Add(delay)
			if now := time.Now(); now.After(due) {
				due = now
			}
			i := i
			time.AfterFunc(time.Until(due), func() {
				lateness[i] = time.Since(due).Nanoseconds()
				wg.Done()
			})
		}
		wg.Wait()
		total += time.Since(base)
	}
	sort.Slice(lateness, func(a, b int) bool { return lateness[a] < lateness[b] })
	pct := func(p float64) float64 {
		return float64(lateness[int(p*float64(timers-1))]) / 1e3
	}
	return result{ns: float64(total.Nanoseconds()) / float64(iterations),
		p50: pct(0.50), p99: pct(0.99)}
}

func run(name string, arg int, minTime time.Duration) (result, error) {
	switch name {
	case "errgroup_empty": // arg: the limit, -1 for none.
		return measure(minTime, emptyTasks, errgroupTasks(arg, emptyTasks, func() {})), nil
	case "errgroup_1us":
		return measure(minTime, emptyTasks, errgroupTasks(-1, emptyTasks, work1us)), nil
	case "errgroup_single":
		return measure(minTime, 1, errgroupTasks(-1, 1, func() {})), nil
	case "errgroup_sleep1ms":
		return measure(minTime, 1, errgroupTasks(-1, sleepTasks, func() {
			time.Sleep(time.Millisecond)
		})), nil
	case "errgroup_failfast": // arg: the failing task's position.
		return measure(minTime, 1, failFast(arg)), nil
	case "go_waitgroup":
		return measure(minTime, emptyTasks, goWaitGroup), nil
	case "withcancel":
		return measure(minTime, 1, func() {
			_, cancel := context.WithCancel(context.Background())
			cancel()
		}), nil
	case "cancel_children": // arg: the number of children.
		return cancelParentOfChildren(minTime, arg), nil
	case "semaphore":
		sem := semaphore.NewWeighted(4)
		ctx := context.Background()
		return measure(minTime, 1, func() {
			_ = sem.Acquire(ctx, 1)
			sem.Release(1)
		}), nil
	case "timers": // arg: iterations.
		return timerLateness(arg), nil
	}
	return result{}, fmt.Errorf("unknown case %q", name)
}

func main() {
	name := flag.String("case", "", "the case to run")
	arg := flag.Int("arg", 0, "the case's argument")
	minTime := flag.Float64("min_time", 0.5, "seconds to repeat the case for")
	flag.Parse()
	r, err := run(*name, *arg, time.Duration(*minTime*float64(time.Second)))
	if err != nil {
		fmt.Printf("error=%v\n", err)
		os.Exit(2)
	}
	fmt.Printf("ns=%.6g p50_us=%.6g p99_us=%.6g\n", r.ns, r.p50, r.p99)
}
