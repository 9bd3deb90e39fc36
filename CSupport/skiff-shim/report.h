// How a failure travels from the container child to the monitor and on to the
// Swift side: (errno, stage, message), so `kubectl describe` can say what broke.
#pragma once
#include <stddef.h>

struct child_error {
    int error_number;     // errno at the failure, 0 if none applies
    char stage[32];       // e.g. "mount", "pivot_root", "exec"
    char message[472];
};

// The child's end of the error pipe (close-on-exec: a successful exec closes it).
extern int child_error_fd;

// Reports a failure on the error pipe and ends the child with status 127.
__attribute__((noreturn, format(printf, 3, 4)))
void child_fail(int error_number, const char *stage, const char *format, ...);

// Writes the result line the Swift side reads from the status descriptor:
// "ok CONTAINER_PID MONITOR_PID" or "error ERRNO STAGE MESSAGE".
void report_started(int fd, int container_pid, int monitor_pid);
void report_error(int fd, const struct child_error *error);
