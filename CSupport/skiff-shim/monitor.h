// The shim's life after the container starts: it forwards signals to the container,
// copies its output into the CRI log, and records how it ended, so the container and
// its logs outlive the agent that started it (as conmon does for CRI-O).
#pragma once
#include "attach.h"
#include "log.h"
#include "spec.h"

struct monitor_streams {
    int out, err;   // read ends; with a TTY, `out` is the terminal's master and err -1
};

// Runs until the container has exited and its output is drained, then writes the
// spec's exit file. Returns the exit status to end the shim with.
int monitor_run(const struct spec *spec, pid_t container, int signal_fd, struct monitor_streams streams,
                struct attach_hub *attach, struct log_writer *log, long long oom_kills_before);

// The oom_kill count in memory.events (v2) or memory.oom_control (v1); -1 if unknown.
long long read_oom_kills(const char *path);

// Waits for `child` to end while passing the forwarded signals on to it.
int wait_forwarding_signals(pid_t child, int signal_fd, int *status);

// Blocks the signals the shim forwards or waits for, and returns a signalfd for them.
int forwarded_signals_fd(void);
