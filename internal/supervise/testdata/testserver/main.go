// Command testserver is the service the supervise tests start: an HTTP
// server on 127.0.0.1 with a start delay, a crash timer, a mode that
// ignores SIGTERM and one that forks a grandchild into its process group.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	port := flag.Int("port", 0, "port on 127.0.0.1")
	delay := flag.Duration("delay", 0, "wait this long before listening")
	crash := flag.Duration("crash-after", 0, "exit 3 this long after listening")
	ignoreTerm := flag.Bool("ignore-term", false, "ignore SIGTERM")
	grandchild := flag.String("grandchild", "", "start a grandchild (this program with -sleep) and write its pid to this file")
	sleep := flag.Bool("sleep", false, "just sleep (the grandchild)")
	check := flag.String("check", "", "exit 0 if a TCP connection to this host:port succeeds, else 1 (an exec probe)")
	flag.Parse()

	if *check != "" {
		c, err := net.DialTimeout("tcp", *check, time.Second)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		_ = c.Close()
		return
	}

	if *ignoreTerm {
		signal.Ignore(syscall.SIGTERM)
	}
	if *sleep {
		time.Sleep(time.Hour)
		return
	}
	if *grandchild != "" {
		self, _ := os.Executable()
		c := exec.Command(self, "-sleep")
		if *ignoreTerm {
			c.Args = append(c.Args, "-ignore-term")
		}
		if err := c.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "grandchild:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(*grandchild, []byte(strconv.Itoa(c.Process.Pid)), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Println("starting")
	time.Sleep(*delay)
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Printf("listening on %s\n", l.Addr())
	if *crash > 0 {
		time.AfterFunc(*crash, func() {
			fmt.Fprintln(os.Stderr, "crashing")
			os.Exit(3)
		})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/fail", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/elsewhere", http.StatusFound) })
	_ = http.Serve(l, mux)
}
