#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

int forwarded_signals_fd(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) sigaddset(&set, forwarded[i]);
    sigprocmask(SIG_BLOCK, &set, NULL);
    return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

int wait_forwarding_signals(pid_t child, int signal_fd, int *status) {
    for (;;) {
        struct pollfd ready = { signal_fd, POLLIN, 0 };
        if (poll(&ready, 1, -1) < 0 && errno != EINTR) return -1;
        struct signalfd_siginfo info;
        while (read(signal_fd, &info, sizeof(info)) == sizeof(info))
            if (info.ssi_signo != SIGCHLD) kill(child, (int)info.ssi_signo);
        int child_status;
        pid_t reaped;
        while ((reaped = waitpid(-1, &child_status, WNOHANG)) > 0)
            if (reaped == child) { *status = child_status; return 0; }
    }
}

long long read_oom_kills(const char *path) {
    if (!path) return -1;
    FILE *file = fopen(path, "re");
    if (!file) return -1;
    char key[64];
    long long value, result = -1;
    while (fscanf(file, "%63s %lld", key, &value) == 2)
        if (!strcmp(key, "oom_kill")) result = value;
    fclose(file);
    return result;
}

// Written to a temporary name and renamed, so a reader sees all of it or nothing.
static void write_exit_file(const char *path, int status, bool oom_killed, const char *started, const char *finished) {
    if (!path) return;
    char temporary[4096];
    snprintf(temporary, sizeof(temporary), "%s.tmp", path);
    FILE *file = fopen(temporary, "we");
    if (!file) return;
    int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    int signal_number = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    fprintf(file, "{\"exitCode\":%d,\"signal\":%d,\"oomKilled\":%s,\"startedAt\":\"%s\",\"finishedAt\":\"%s\"}\n",
            exit_code, signal_number, oom_killed ? "true" : "false", started, finished);
    // No fsync: after a crash of the host the container is gone anyway, and a missing
    // exit file then reads as "monitor died" (exit 255); rename keeps it whole.
    if (fclose(file) == 0) rename(temporary, path);
    else unlink(temporary);
}

// Reads what a stream has; returns false at end of file (or a hung-up terminal).
static bool drain(int fd, enum log_stream stream, struct log_writer *log, struct attach_hub *attach) {
    char buffer[65536];
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    if (n <= 0) return false;   // EOF, or EIO from a terminal whose last writer closed
    log_append(log, stream, buffer, (size_t)n);
    attach_broadcast(attach, stream == LOG_STDOUT ? ATTACH_STDOUT : ATTACH_STDERR, buffer, (size_t)n);
    return true;
}

int monitor_run(const struct spec *spec, pid_t container, int signal_fd, struct monitor_streams streams,
                struct attach_hub *attach, struct log_writer *log, long long oom_kills_before) {
    char started[40];
    format_timestamp(started);
    int status = 0;
    bool exited = false;
    int open_streams = (streams.out >= 0) + (streams.err >= 0);
    while (!exited || open_streams > 0) {
        struct pollfd fds[3 + 1 + ATTACH_MAX_CLIENTS] = {
            { signal_fd, POLLIN, 0 }, { streams.out, POLLIN, 0 }, { streams.err, POLLIN, 0 },
        };
        size_t attach_count = exited ? 0 : attach_poll_fds(attach, fds + 3);
        // Once the container has exited, only wait briefly for output still buffered:
        // a process that escaped the container could otherwise hold a pipe open forever.
        int ready = poll(fds, (nfds_t)(3 + attach_count), exited ? 200 : -1);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) break;
        if (fds[0].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (read(signal_fd, &info, sizeof(info)) == sizeof(info)) {
                if (info.ssi_signo != SIGCHLD) { kill(container, (int)info.ssi_signo); continue; }
                int child_status;
                pid_t reaped;
                while ((reaped = waitpid(-1, &child_status, WNOHANG)) > 0)
                    if (reaped == container) { status = child_status; exited = true; }
            }
        }
        for (int i = 1; i <= 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            enum log_stream stream = i == 1 ? LOG_STDOUT : LOG_STDERR;
            if (!drain(fds[i].fd, stream, log, attach)) {
                log_finish(log, stream);
                close(fds[i].fd);
                if (i == 1) streams.out = -1; else streams.err = -1;
                open_streams--;
            }
        }
        attach_handle(attach, fds + 3, attach_count);
    }
    log_finish(log, LOG_STDOUT);
    log_finish(log, LOG_STDERR);
    char finished[40];
    format_timestamp(finished);
    long long oom_kills_after = read_oom_kills(spec->oom_counter);
    // As containerd: an OOM kill anywhere in the container's cgroup marks the container,
    // whichever of its processes the kernel chose.
    bool oom_killed = oom_kills_before >= 0 && oom_kills_after > oom_kills_before;
    write_exit_file(spec->exit_path, status, oom_killed, started, finished);
    if (spec->attach_socket) unlink(spec->attach_socket);
    return 0;
}
