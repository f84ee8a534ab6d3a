// Command composesvc is the containerized service of the compose tests:
// an HTTP server on :8080 whose /healthz answers 200. With -healthcheck URL
// it is instead its own healthcheck client, because the FROM scratch image
// it runs in has no curl or wget.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	check := flag.String("healthcheck", "", "exit 0 if GET of this URL answers 200, else 1")
	flag.Parse()

	if *check != "" {
		c := &http.Client{Timeout: 2 * time.Second}
		resp, err := c.Get(*check)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			fmt.Fprintln(os.Stderr, resp.Status)
			os.Exit(1)
		}
		return
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	srv := &http.Server{Addr: ":8080", Handler: mux}

	// As PID 1 in the container a process gets no default SIGTERM action,
	// so without a handler `compose stop` would wait out its whole timeout.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()

	fmt.Println("composesvc listening on :8080")
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("composesvc stopped")
}
