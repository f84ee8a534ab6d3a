package supervise

import (
	"strings"
	"testing"
)

// The message on Windows must name the service and both ways out.
func TestNativeUnsupportedErrorSaysWhatToDo(t *testing.T) {
	msg := (&NativeUnsupportedError{Name: "postgres", OS: "windows"}).Error()
	for _, want := range []string{"service postgres", "on windows", "WSL2", "wsl --install", "`compose:`", "Docker Compose"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}
