// skiff-shim: starts one container from a spec and stays as its monitor.
//
//   skiff-shim run    spec on fd 3, status on fd 4. Forks the monitor and returns at
//                     once; the monitor starts the container, writes one status line
//                     ("ok PID MONITOR_PID" or "error ERRNO STAGE MESSAGE"), closes fd
//                     4, then logs the container's output until it exits and writes
//                     the exit file.
//   skiff-shim exec   spec on fd 3, status on fd 4, the process's stdio on 0, 1, 2.
//                     Enters a running container's namespaces and cgroups, runs the
//                     process, writes "ok PID SHIM_PID" (or "error …") and, when it
//                     ends, "exit CODE SIGNAL".
//
// The spec format is in spec.h; the Swift side that writes it is SkiffRuntime/Shim.
#include "launch.h"
#include "monitor.h"
#include "report.h"
#include "security.h"
#include "spec.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum { SPEC_FD = 3, STATUS_FD = 4 };

static int fail_setup(int status_fd, const char *stage, int error_number, const char *message) {
    struct child_error error = { .error_number = error_number };
    snprintf(error.stage, sizeof(error.stage), "%s", stage);
    snprintf(error.message, sizeof(error.message), "%s", message);
    report_error(status_fd, &error);
    return 1;
}

static int open_streams(const struct spec *spec, struct launch_stdio *stdio, struct monitor_streams *streams,
                        struct attach_hub *attach) {
    *attach = (struct attach_hub){ .listen_fd = -1, .stdin_fd = -1, .terminal_fd = -1, .stdin_once = spec->stdin_once };
    if (spec->attach_socket && (attach->listen_fd = attach_listen(spec->attach_socket)) < 0) return -1;
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) return -1;
    // Every field set: the caller's struct is uninitialized, and a stray
    // `controlling_tty` made a container without a terminal fail now and then
    // ("set the controlling terminal: Inappropriate ioctl for device").
    *stdio = (struct launch_stdio){ .in = null, .out = -1, .err = -1, .controlling_tty = false };
    if (spec->stdin_open && !spec->tty) {
        int in[2];
        if (pipe2(in, O_CLOEXEC)) return -1;
        close(null);
        stdio->in = in[0];
        attach->stdin_fd = in[1];
    }
    if (spec->tty) {
        int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0 || grantpt(master) || unlockpt(master)) return -1;
        int slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0) return -1;
        close(null);
        *stdio = (struct launch_stdio){ slave, slave, slave, true };
        *streams = (struct monitor_streams){ master, -1 };
        attach->terminal_fd = master;
        if (spec->stdin_open) attach->stdin_fd = master;
        return 0;
    }
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) return -1;
    stdio->out = out[1];
    stdio->err = err[1];
    *streams = (struct monitor_streams){ out[0], err[0] };
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    return 0;
}

static void close_child_ends(const struct launch_stdio *stdio) {
    close(stdio->in);
    if (stdio->out != stdio->in) close(stdio->out);
    if (stdio->err != stdio->out) close(stdio->err);
}

static int run_container(const struct spec *spec, struct seccomp_program *program) {
    // The monitor lives on its own: a new session, detached from the caller, which
    // only waits for the launcher (this process's parent half) to return.
    pid_t monitor = fork();
    if (monitor < 0) return fail_setup(STATUS_FD, "fork", errno, "fork the monitor");
    if (monitor > 0) return 0;
    setsid();
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) { dup2(devnull, 0); dup2(devnull, 1); dup2(devnull, 2); if (devnull > 2) close(devnull); }
    struct log_writer log;
    if (!spec->log_path || log_open(&log, spec->log_path, spec->log_max_size, spec->log_max_files))
        return fail_setup(STATUS_FD, "log", errno, spec->log_path ? spec->log_path : "spec has no log.path");
    struct launch_stdio stdio = { 0 };
    struct monitor_streams streams;
    struct attach_hub attach;
    if (open_streams(spec, &stdio, &streams, &attach)) return fail_setup(STATUS_FD, "stdio", errno, "open the container's stdio");
    int signal_fd = forwarded_signals_fd();
    if (signal_fd < 0) return fail_setup(STATUS_FD, "signals", errno, "signalfd");
    long long oom_kills_before = read_oom_kills(spec->oom_counter);
    struct child_error error;
    pid_t container = launch(spec, program, &stdio, true, &error);
    close_child_ends(&stdio);
    if (container < 0) {
        report_error(STATUS_FD, &error);
        return 1;
    }
    report_started(STATUS_FD, container, getpid());
    close(STATUS_FD);
    // The monitor lives as long as the container: hand back what setup used (the
    // seccomp compiler's tables above all), so each idle container costs little.
    free(program->filter);
    malloc_trim(0);
    if (chdir("/")) { /* the monitor holds no directory busy */ }
    return monitor_run(spec, container, signal_fd, streams, &attach, &log, oom_kills_before);
}

static int exec_process(const struct spec *spec, const struct seccomp_program *program) {
    int signal_fd = forwarded_signals_fd();
    if (signal_fd < 0) return fail_setup(STATUS_FD, "signals", errno, "signalfd");
    struct launch_stdio stdio = { 0, 1, 2, spec->tty };
    struct child_error error;
    pid_t process = launch(spec, program, &stdio, false, &error);
    if (process < 0) {
        report_error(STATUS_FD, &error);
        return 1;
    }
    report_started(STATUS_FD, process, getpid());
    // The process owns the caller's stdio now; the shim keeps only the status pipe.
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) { dup2(devnull, 0); dup2(devnull, 1); dup2(devnull, 2); if (devnull > 2) close(devnull); }
    int status = 0;
    if (wait_forwarding_signals(process, signal_fd, &status)) return 1;
    char line[64];
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    int length = snprintf(line, sizeof(line), "exit %d %d\n", code, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    if (write(STATUS_FD, line, (size_t)length) < 0) { /* the caller is gone; nothing to tell */ }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2 || (strcmp(argv[1], "run") && strcmp(argv[1], "exec"))) {
        fprintf(stderr, "usage: skiff-shim run|exec  (spec on fd 3, status on fd 4)\n");
        return 2;
    }
    // Whatever else the caller left open (sockets, files) must not live on in the monitor.
    syscall(SYS_close_range, STATUS_FD + 1, ~0U, 0);
    fcntl(STATUS_FD, F_SETFD, FD_CLOEXEC);
    char *bytes;
    size_t size;
    if (spec_read_fd(SPEC_FD, &bytes, &size)) return fail_setup(STATUS_FD, "spec", errno, "read the spec");
    close(SPEC_FD);
    struct spec *spec = calloc(1, sizeof(*spec));
    char message[256];
    if (!spec || spec_parse(bytes, size, spec, message, sizeof(message))) return fail_setup(STATUS_FD, "spec", EINVAL, message);
    if (strcmp(spec->mode, argv[1])) return fail_setup(STATUS_FD, "spec", EINVAL, "spec mode differs from the command");
    struct seccomp_program program;
    if (seccomp_build(spec, &program, message, sizeof(message))) return fail_setup(STATUS_FD, "seccomp", EINVAL, message);
    return !strcmp(spec->mode, "run") ? run_container(spec, &program) : exec_process(spec, &program);
}
