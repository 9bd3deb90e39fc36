#include "spec.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int spec_read_fd(int fd, char **bytes, size_t *size) {
    size_t capacity = 16384, length = 0;
    char *buffer = malloc(capacity);
    if (!buffer) return -1;
    for (;;) {
        if (length == capacity) {
            capacity *= 2;
            char *grown = realloc(buffer, capacity);
            if (!grown) { free(buffer); return -1; }
            buffer = grown;
        }
        ssize_t n = read(fd, buffer + length, capacity - length);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { free(buffer); return -1; }
        if (n == 0) break;
        length += (size_t)n;
    }
    *bytes = buffer;
    *size = length;
    return 0;
}

static int namespace_flag(const char *name) {
    if (!strcmp(name, "mnt")) return CLONE_NEWNS;
    if (!strcmp(name, "pid")) return CLONE_NEWPID;
    if (!strcmp(name, "ipc")) return CLONE_NEWIPC;
    if (!strcmp(name, "uts")) return CLONE_NEWUTS;
    if (!strcmp(name, "net")) return CLONE_NEWNET;
    if (!strcmp(name, "cgroup")) return CLONE_NEWCGROUP;
    return 0;
}

#define FAIL(...) do { snprintf(error, error_size, __VA_ARGS__); return -1; } while (0)
#define APPEND(list, count, value, what) APPEND_BOUNDED(list, count, value, what, sizeof(list) / sizeof((list)[0]))
#define APPEND_BOUNDED(list, count, value, what, capacity) do { \
        if ((count) >= (capacity)) FAIL("too many %s entries", what); \
        (list)[(count)++] = (value); \
    } while (0)

static int parse_number(const char *text, long long *value) {
    char *end;
    errno = 0;
    *value = strtoll(text, &end, 10);
    return (errno || end == text || *end) ? -1 : 0;
}

// "ns=net" creates a namespace; "ns=net:/run/netns/x" joins the one at that path.
static int parse_namespace(const char *value, struct spec *spec, char *error, size_t error_size) {
    char name[16] = {0};
    const char *colon = strchr(value, ':');
    size_t length = colon ? (size_t)(colon - value) : strlen(value);
    if (length >= sizeof(name)) FAIL("unknown namespace %s", value);
    memcpy(name, value, length);
    int flag = namespace_flag(name);
    if (!flag) FAIL("unknown namespace %s", name);
    struct spec_namespace ns = { .flag = flag, .join = colon ? colon + 1 : NULL };
    APPEND(spec->namespaces, spec->nnamespaces, ns, "ns");
    return 0;
}

// "rlimit=RESOURCE:SOFT:HARD" with numbers; -1 means unlimited.
static int parse_rlimit(const char *value, struct spec *spec, char *error, size_t error_size) {
    long long resource, soft, hard;
    char copy[96];
    if (strlen(value) >= sizeof(copy)) FAIL("bad rlimit %s", value);
    strcpy(copy, value);
    char *first = strtok(copy, ":"), *second = strtok(NULL, ":"), *third = strtok(NULL, ":");
    if (!first || !second || !third || parse_number(first, &resource) || parse_number(second, &soft)
        || parse_number(third, &hard))
        FAIL("bad rlimit %s", value);
    struct spec_rlimit limit = { (int)resource, (unsigned long long)soft, (unsigned long long)hard };
    APPEND(spec->rlimits, spec->nrlimits, limit, "rlimit");
    return 0;
}

static int parse_entry(char *key, char *value, struct spec *spec, char *error, size_t error_size) {
    long long number;
    struct spec_mount *mount = spec->nmounts ? &spec->mounts[spec->nmounts - 1] : NULL;
    if (!strcmp(key, "mode")) spec->mode = value;
    else if (!strcmp(key, "arg")) APPEND_BOUNDED(spec->args, spec->nargs, value, "arg", SPEC_MAX_LIST);
    else if (!strcmp(key, "env")) APPEND_BOUNDED(spec->env, spec->nenv, value, "env", SPEC_MAX_LIST);
    else if (!strcmp(key, "cwd")) spec->cwd = value;
    else if (!strcmp(key, "uid")) { if (parse_number(value, &number)) FAIL("bad uid %s", value); spec->uid = (uid_t)number; }
    else if (!strcmp(key, "gid")) { if (parse_number(value, &number)) FAIL("bad gid %s", value); spec->gid = (gid_t)number; }
    else if (!strcmp(key, "group")) {
        if (parse_number(value, &number)) FAIL("bad group %s", value);
        APPEND(spec->groups, spec->ngroups, (gid_t)number, "group");
    }
    else if (!strcmp(key, "hostname")) spec->hostname = value;
    else if (!strcmp(key, "ns")) return parse_namespace(value, spec, error, error_size);
    else if (!strcmp(key, "cgroup.dir")) spec->cgroup_dir = value;
    else if (!strcmp(key, "cgroup.procs")) APPEND(spec->cgroup_procs, spec->ncgroup_procs, value, "cgroup.procs");
    else if (!strcmp(key, "oom.counter")) spec->oom_counter = value;
    else if (!strcmp(key, "rootfs")) spec->rootfs = value;
    else if (!strcmp(key, "rootfs.lower")) spec->rootfs_lower = value;
    else if (!strcmp(key, "rootfs.upper")) spec->rootfs_upper = value;
    else if (!strcmp(key, "rootfs.work")) spec->rootfs_work = value;
    else if (!strcmp(key, "rootfs.readonly")) spec->rootfs_readonly = !strcmp(value, "1");
    else if (!strcmp(key, "mount")) {
        if (value[0] != '/') FAIL("mount target %s is not absolute", value);
        struct spec_mount fresh = { .target = value, .type = "bind", .options = "", .data = NULL };
        APPEND(spec->mounts, spec->nmounts, fresh, "mount");
    }
    else if (!strncmp(key, "mount.", 6)) {
        if (!mount) FAIL("%s before any mount=", key);
        if (!strcmp(key, "mount.source")) mount->source = value;
        else if (!strcmp(key, "mount.type")) mount->type = value;
        else if (!strcmp(key, "mount.options")) mount->options = value;
        else if (!strcmp(key, "mount.data")) mount->data = value;
        else FAIL("unknown key %s", key);
    }
    else if (!strcmp(key, "mask")) APPEND(spec->masked, spec->nmasked, value, "mask");
    else if (!strcmp(key, "readonly")) APPEND(spec->readonly, spec->nreadonly, value, "readonly");
    else if (!strcmp(key, "cap")) {
        if (parse_number(value, &number) || number < 0 || number > 63) FAIL("bad capability %s", value);
        APPEND(spec->caps, spec->ncaps, (int)number, "cap");
        spec->caps_given = true;
    }
    else if (!strcmp(key, "caps")) spec->caps_given = true;  // "caps=" alone: keep none
    else if (!strcmp(key, "rlimit")) return parse_rlimit(value, spec, error, error_size);
    else if (!strcmp(key, "oom_score_adj")) {
        if (parse_number(value, &number)) FAIL("bad oom_score_adj %s", value);
        spec->oom_score_adj = (int)number;
        spec->oom_score_adj_given = true;
    }
    else if (!strcmp(key, "no_new_privs")) spec->no_new_privs = !strcmp(value, "1");
    else if (!strcmp(key, "seccomp.default")) spec->seccomp_default = value;
    else if (!strcmp(key, "seccomp.arch")) APPEND(spec->seccomp_arch, spec->nseccomp_arch, value, "seccomp.arch");
    else if (!strcmp(key, "seccomp.cache")) spec->seccomp_cache = value;
    else if (!strcmp(key, "seccomp.rule")) APPEND(spec->seccomp_rules, spec->nseccomp_rules, value, "seccomp.rule");
    else if (!strcmp(key, "tty")) spec->tty = !strcmp(value, "1");
    else if (!strcmp(key, "stdin")) spec->stdin_open = !strcmp(value, "1");
    else if (!strcmp(key, "stdin_once")) spec->stdin_once = !strcmp(value, "1");
    else if (!strcmp(key, "attach.socket")) spec->attach_socket = value;
    else if (!strcmp(key, "log.path")) spec->log_path = value;
    else if (!strcmp(key, "log.max_size")) {
        if (parse_number(value, &number) || number < 0) FAIL("bad log.max_size %s", value);
        spec->log_max_size = (unsigned long long)number;
    }
    else if (!strcmp(key, "log.max_files")) {
        if (parse_number(value, &number) || number < 1) FAIL("bad log.max_files %s", value);
        spec->log_max_files = (unsigned)number;
    }
    else if (!strcmp(key, "exit.path")) spec->exit_path = value;
    else FAIL("unknown key %s", key);
    return 0;
}

int spec_parse(char *bytes, size_t size, struct spec *spec, char *error, size_t error_size) {
    memset(spec, 0, sizeof(*spec));
    spec->log_max_files = 1;
    if (size == 0 || bytes[size - 1] != '\0') FAIL("spec must end with a NUL byte");
    for (size_t offset = 0; offset < size;) {
        char *entry = bytes + offset;
        offset += strlen(entry) + 1;
        char *equals = strchr(entry, '=');
        if (!equals) FAIL("entry without '=': %s", entry);
        *equals = '\0';
        if (parse_entry(entry, equals + 1, spec, error, error_size)) return -1;
    }
    if (!spec->mode) FAIL("spec has no mode");
    if (spec->nargs == 0) FAIL("spec has no arg (the command to run)");
    spec->args[spec->nargs] = NULL;   // the arrays keep one slot for the terminator
    spec->env[spec->nenv] = NULL;
    if (!strcmp(spec->mode, "run") && !spec->rootfs) FAIL("run spec has no rootfs");
    if (strcmp(spec->mode, "run") && strcmp(spec->mode, "exec")) FAIL("unknown mode %s", spec->mode);
    return 0;
}
