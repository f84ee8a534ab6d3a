//go:build !unix

package run

import (
	"io"
	"os"
)

// copyPipe copies r, the read end of a child's output pipe, to w until
// EOF or an error.
func copyPipe(w io.Writer, r *os.File) { _, _ = io.Copy(w, r) }
