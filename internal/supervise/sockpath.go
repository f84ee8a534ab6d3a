package supervise

// maxSockPath is below the 108 bytes of sun_path on Linux and Windows
// (104 on macOS and the BSDs), so that one limit holds everywhere.
const maxSockPath = 100

// sockPath is a name for the unix socket at path that fits in sun_path:
// path itself when it is short enough, else a detour that this OS offers
// (longSockPath) for a deep checkout. release is to be called once the
// socket has been listened on or dialled.
func sockPath(path string) (name string, release func(), err error) {
	if len(path) <= maxSockPath {
		return path, func() {}, nil
	}
	return longSockPath(path)
}
