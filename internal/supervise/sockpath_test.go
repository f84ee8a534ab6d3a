//go:build unix

package supervise

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// deepDir is a directory whose socket path is over sun_path's limit.
func deepDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), strings.Repeat("deep-checkout-", 6), strings.Repeat("x", 40), ".onboard", "services")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}

// serveOnce listens through name and checks that a dial through name
// reaches it and that the socket itself is at path.
func serveOnce(t *testing.T, name, path string) {
	t.Helper()
	if len(name) > maxSockPath {
		t.Fatalf("%s is %d bytes, over %d", name, len(name), maxSockPath)
	}
	ln, err := net.Listen("unix", name)
	if err != nil {
		t.Fatalf("listen on %s: %v", name, err)
	}
	defer ln.Close()
	if fi, err := os.Stat(path); err != nil || fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("the socket is not at %s: %v, %v", path, fi, err)
	}
	go func() {
		if c, err := ln.Accept(); err == nil {
			_, _ = c.Write([]byte("ok"))
			c.Close()
		}
	}()
	c, err := net.Dial("unix", name)
	if err != nil {
		t.Fatalf("dial %s: %v", name, err)
	}
	defer c.Close()
	b := make([]byte, 2)
	if _, err := c.Read(b); err != nil || string(b) != "ok" {
		t.Fatalf("read %q, %v", b, err)
	}
}

// A deep checkout's socket works through this OS's detour (/proc/self/fd
// on Linux, a link on macOS): listenUnix and dialUnix go through sockPath.
func TestSockPathOfADeepCheckout(t *testing.T) {
	path := filepath.Join(deepDir(t), SocketName)
	if len(path) <= 108 {
		t.Fatalf("test path %s is only %d bytes", path, len(path))
	}
	name, release, err := sockPath(path)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	serveOnce(t, name, path)
}

// The macOS detour, run here: a link in a private directory of tmp.
func TestLinkSockPath(t *testing.T) {
	tmp := t.TempDir()
	path := filepath.Join(deepDir(t), SocketName)
	name, err := linkSockPath(tmp, path)
	if err != nil {
		t.Fatal(err)
	}
	serveOnce(t, name, path)
	if again, err := linkSockPath(tmp, path); err != nil || again != name {
		t.Errorf("second call: %q, %v; want %q again", again, err, name)
	}

	// A link that leads elsewhere is replaced.
	link := filepath.Dir(name)
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(t.TempDir(), link); err != nil {
		t.Fatal(err)
	}
	if again, err := linkSockPath(tmp, path); err != nil || again != name {
		t.Fatalf("after the link was changed: %q, %v", again, err)
	}
	if target, _ := os.Readlink(link); target != filepath.Dir(path) {
		t.Errorf("link leads to %s, want %s", target, filepath.Dir(path))
	}

	// A private directory others may write is refused.
	if err := os.Chmod(filepath.Dir(link), 0o777); err != nil {
		t.Fatal(err)
	}
	if _, err := linkSockPath(tmp, path); err == nil || !strings.Contains(err.Error(), "mode 0700") {
		t.Errorf("private directory with mode 0777: %v, want a refusal", err)
	}
}

// A short path is used as it is.
func TestSockPathShort(t *testing.T) {
	name, release, err := sockPath("/tmp/x/sock")
	if err != nil || name != "/tmp/x/sock" {
		t.Errorf("sockPath = %q, %v", name, err)
	}
	release()
}
