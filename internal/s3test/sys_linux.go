package s3test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// dieWithParent kills the server if the test binary dies without cleanup.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// hasUserXattrs reports whether files in dir take user extended
// attributes, where versitygw's posix backend keeps object metadata.
func hasUserXattrs(dir string) bool {
	p := filepath.Join(dir, ".xattr-probe")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		return false
	}
	defer os.Remove(p)
	err := syscall.Setxattr(p, "user.sohoa.probe", []byte("1"), 0)
	return err == nil || !(errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.EOPNOTSUPP))
}
