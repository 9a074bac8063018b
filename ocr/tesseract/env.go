package tesseract

import (
	"os"
	"syscall"
)

// ProcessEnv is the environment Tesseract needs before the process starts:
// one OpenMP thread per recognition (parallelism comes from running
// several pages at once; without it each page takes several times longer
// on a busy machine), and one malloc arena, which keeps the resident size
// flat over thousands of pages.
var ProcessEnv = map[string]string{"OMP_THREAD_LIMIT": "1", "MALLOC_ARENA_MAX": "1"}

// EnsureProcessEnv re-executes the running program with ProcessEnv set if
// any of it is missing. It returns only if nothing needed changing, or if
// the re-exec failed (the caller goes on, slower). Setting the variables
// with os.Setenv is too late: OpenMP and malloc read them at start-up.
func EnsureProcessEnv() error {
	env := os.Environ()
	missing := false
	for k, v := range ProcessEnv {
		if _, ok := os.LookupEnv(k); !ok {
			env = append(env, k+"="+v)
			missing = true
		}
	}
	if !missing || os.Getenv("SOHOA_NO_REEXEC") != "" {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	env = append(env, "SOHOA_NO_REEXEC=1") // never loop
	return syscall.Exec(exe, os.Args, env)
}
