#include "launch.h"
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void fill_error(struct child_error *error, int error_number, const char *stage, const char *message) {
    error->error_number = error_number;
    snprintf(error->stage, sizeof(error->stage), "%s", stage);
    snprintf(error->message, sizeof(error->message), "%s", message);
}

// Finds `file` on the spec's PATH inside the container, as execvp would with the
// container's environment rather than the shim's.
static const char *find_executable(const struct spec *spec, char *buffer, size_t size) {
    const char *file = spec->args[0];
    if (strchr(file, '/')) return file;
    const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (size_t i = 0; i < spec->nenv; i++)
        if (!strncmp(spec->env[i], "PATH=", 5)) path = spec->env[i] + 5;
    for (const char *start = path; *start;) {
        const char *end = strchr(start, ':');
        size_t length = end ? (size_t)(end - start) : strlen(start);
        snprintf(buffer, size, "%.*s/%s", (int)length, length ? start : ".", file);
        if (access(buffer, X_OK) == 0) return buffer;
        if (!end) break;
        start = end + 1;
    }
    child_fail(ENOENT, "exec", "executable file not found in $PATH: %s", file);
}

static void redirect_stdio(const struct launch_stdio *stdio) {
    if (dup2(stdio->in, 0) < 0 || dup2(stdio->out, 1) < 0 || dup2(stdio->err, 2) < 0)
        child_fail(errno, "stdio", "dup2");
    if (stdio->controlling_tty && ioctl(0, TIOCSCTTY, 0)) child_fail(errno, "stdio", "set the controlling terminal");
}

// The child between clone and exec. Never returns.
__attribute__((noreturn))
static void child_main(const struct spec *spec, const struct seccomp_program *program, const struct launch_stdio *stdio,
                       const int *join_fds, int go_fd, bool new_root) {
    char byte;
    // Wait until the parent has put this process into every cgroup.
    if (read(go_fd, &byte, 1) != 1) child_fail(errno, "sync", "parent went away before the start");
    close(go_fd);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (setsid() < 0) child_fail(errno, "setsid", "new session");
    for (size_t i = 0; i < spec->nnamespaces; i++)
        if (spec->namespaces[i].flag == CLONE_NEWCGROUP && !spec->namespaces[i].join && unshare(CLONE_NEWCGROUP))
            child_fail(errno, "cgroup", "new cgroup namespace");
    // Join namespaces by path; the mount namespace last, since it changes what paths mean.
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < spec->nnamespaces; i++) {
            const struct spec_namespace *ns = &spec->namespaces[i];
            if (!ns->join || ns->flag == CLONE_NEWPID || (ns->flag == CLONE_NEWNS) != (pass == 1)) continue;
            if (setns(join_fds[i], ns->flag)) child_fail(errno, "setns", "join %s", ns->join);
        }
    for (size_t i = 0; i < spec->nnamespaces; i++)
        if (spec->namespaces[i].flag == CLONE_NEWUTS && !spec->namespaces[i].join && spec->hostname
            && sethostname(spec->hostname, strlen(spec->hostname)))
            child_fail(errno, "hostname", "sethostname %s", spec->hostname);
    redirect_stdio(stdio);
    security_apply_process_limits(spec);
    if (new_root) rootfs_prepare(spec);
    if (chdir(spec->cwd ? spec->cwd : "/")) child_fail(errno, "cwd", "chdir %s", spec->cwd ? spec->cwd : "/");
    char buffer[4096];
    const char *executable = find_executable(spec, buffer, sizeof(buffer));
    security_apply_identity_and_filter(spec, program);
    execve(executable, (char *const *)spec->args, (char *const *)spec->env);
    child_fail(errno, "exec", "exec %s", executable);
}

static int join_cgroups(const struct spec *spec, pid_t pid, bool into_v2, struct child_error *error) {
    char text[24];
    int length = snprintf(text, sizeof(text), "%d", pid);
    for (size_t i = 0; i < spec->ncgroup_procs; i++) {
        // clone3 already placed the child in the v2 cgroup; the v1 hierarchies remain.
        if (into_v2 && spec->cgroup_dir && !strncmp(spec->cgroup_procs[i], spec->cgroup_dir, strlen(spec->cgroup_dir)))
            continue;
        int fd = open(spec->cgroup_procs[i], O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, text, (size_t)length) != length) {
            char message[512];
            snprintf(message, sizeof(message), "join %s: %s", spec->cgroup_procs[i], strerror(errno));
            fill_error(error, errno, "cgroup", message);
            if (fd >= 0) close(fd);
            return -1;
        }
        close(fd);
    }
    return 0;
}

static pid_t clone_child(const struct spec *spec, int cgroup_fd, bool *into_v2) {
    uint64_t flags = 0;
    for (size_t i = 0; i < spec->nnamespaces; i++)
        if (!spec->namespaces[i].join) flags |= (uint64_t)spec->namespaces[i].flag;
    // The cgroup namespace is made by the child once it sits in all its cgroups (the v1
    // ones are joined after clone); made here, it would be rooted above them.
    flags &= ~(uint64_t)CLONE_NEWCGROUP;
    struct clone_args args = { .flags = flags, .exit_signal = SIGCHLD };
    if (cgroup_fd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = (uint64_t)cgroup_fd;
    }
    pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
    *into_v2 = cgroup_fd >= 0 && pid >= 0;
    if (pid < 0 && (errno == ENOSYS || errno == E2BIG || (cgroup_fd >= 0 && errno == EBUSY))) {
        // Older kernels, or a cgroup that refuses CLONE_INTO_CGROUP: plain clone, join after.
        pid = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, NULL);
        *into_v2 = false;
    }
    return pid;
}

pid_t launch(const struct spec *spec, const struct seccomp_program *program,
             const struct launch_stdio *stdio, bool new_root, struct child_error *error) {
    int join_fds[8];
    for (size_t i = 0; i < spec->nnamespaces; i++) {
        join_fds[i] = -1;
        if (!spec->namespaces[i].join) continue;
        join_fds[i] = open(spec->namespaces[i].join, O_RDONLY | O_CLOEXEC);
        char message[512];
        snprintf(message, sizeof(message), "open namespace %s: %s", spec->namespaces[i].join, strerror(errno));
        if (join_fds[i] < 0) { fill_error(error, errno, "setns", message); return -1; }
        // A pid namespace applies to children only: the parent enters it before clone.
        if (spec->namespaces[i].flag == CLONE_NEWPID && setns(join_fds[i], CLONE_NEWPID)) {
            snprintf(message, sizeof(message), "join pid namespace %s: %s", spec->namespaces[i].join, strerror(errno));
            fill_error(error, errno, "setns", message);
            return -1;
        }
    }
    int cgroup_fd = spec->cgroup_dir ? open(spec->cgroup_dir, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
    int go[2], failure[2];
    if (pipe2(go, O_CLOEXEC) || pipe2(failure, O_CLOEXEC)) {
        fill_error(error, errno, "sync", "pipe");
        return -1;
    }
    bool into_v2 = false;
    pid_t pid = clone_child(spec, cgroup_fd, &into_v2);
    if (pid == 0) {
        close(go[1]);
        close(failure[0]);
        child_error_fd = failure[1];
        child_main(spec, program, stdio, join_fds, go[0], new_root);
    }
    int saved = errno;
    close(go[0]);
    close(failure[1]);
    if (cgroup_fd >= 0) close(cgroup_fd);
    for (size_t i = 0; i < spec->nnamespaces; i++) if (join_fds[i] >= 0) close(join_fds[i]);
    if (pid < 0) {
        fill_error(error, saved, "clone", strerror(saved));
        close(go[1]);
        close(failure[0]);
        return -1;
    }
    int joined = join_cgroups(spec, pid, into_v2, error);
    if (joined == 0 && write(go[1], "x", 1) != 1) fill_error(error, errno, "sync", "release the child");
    close(go[1]);   // with the cgroups not joined, the child sees EOF and gives up
    ssize_t n;
    struct child_error reported;
    do n = read(failure[0], &reported, sizeof(reported)); while (n < 0 && errno == EINTR);
    close(failure[0]);
    if (joined == 0 && n == 0) return pid;   // exec closed the pipe: the container runs
    if (joined == 0) {
        if (n == (ssize_t)sizeof(reported)) *error = reported;
        else fill_error(error, 0, "start", "the container process ended before exec");
    }
    waitpid(pid, NULL, 0);
    return -1;
}
