package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// event is the part of onboard's --json events (docs/events.md) the phase
// breakdown reads.
type event struct {
	Time     time.Time     `json:"time"`
	Type     string        `json:"type"`
	ID       string        `json:"id"`
	Outcome  string        `json:"outcome"`
	Duration time.Duration `json:"duration_ns"`
}

// phases splits one `onboard --json` run by its event timestamps. The
// bench's clock and onboard's are the same wall clock.
type phases struct {
	startup time.Duration // exec → run.start: process start, config load, lock, state load
	items   time.Duration // run.start → last item.done: every check, 2 at a time
	save    time.Duration // last item.done → run.done: writing state.json
	exit    time.Duration // run.done → process gone: summary, unlock, exit
	total   time.Duration
	toolSum time.Duration // Σ item.done duration of tool items
	stepSum time.Duration // Σ item.done duration of step items
	ok      int           // items whose outcome is "ok"
	nItems  int           // item.done events
}

func parsePhases(r result) (phases, error) {
	var p phases
	var runStart, lastDone, runDone time.Time
	sc := bufio.NewScanner(bytes.NewReader(r.stdout))
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return p, fmt.Errorf("onboard --json: %v in %q", err, sc.Text())
		}
		switch e.Type {
		case "run.start":
			runStart = e.Time
		case "run.done":
			runDone = e.Time
		case "item.done":
			p.nItems++
			if e.Outcome == "ok" {
				p.ok++
			}
			if e.Time.After(lastDone) {
				lastDone = e.Time
			}
			if strings.HasPrefix(e.ID, "tool:") {
				p.toolSum += e.Duration
			} else {
				p.stepSum += e.Duration
			}
		}
	}
	if err := sc.Err(); err != nil {
		return p, err
	}
	if runStart.IsZero() || runDone.IsZero() || lastDone.IsZero() {
		return p, fmt.Errorf("onboard --json: no run.start, item.done or run.done event in:\n%s", r.stdout)
	}
	p.startup = runStart.Sub(r.start)
	p.items = lastDone.Sub(runStart)
	p.save = runDone.Sub(lastDone)
	p.exit = r.end.Sub(runDone)
	p.total = r.wall()
	return p, nil
}

// medianPhases is the median of each phase over several runs.
func medianPhases(ps []phases) phases {
	pick := func(get func(phases) time.Duration) time.Duration { return medianOf(ps, get) }
	return phases{
		startup: pick(func(p phases) time.Duration { return p.startup }),
		items:   pick(func(p phases) time.Duration { return p.items }),
		save:    pick(func(p phases) time.Duration { return p.save }),
		exit:    pick(func(p phases) time.Duration { return p.exit }),
		total:   pick(func(p phases) time.Duration { return p.total }),
		toolSum: pick(func(p phases) time.Duration { return p.toolSum }),
		stepSum: pick(func(p phases) time.Duration { return p.stepSum }),
	}
}

// medianOf is the median of one field over several runs' breakdowns.
func medianOf[T any](runs []T, get func(T) time.Duration) time.Duration {
	ds := make([]time.Duration, len(runs))
	for i, r := range runs {
		ds[i] = get(r)
	}
	return median(ds)
}
