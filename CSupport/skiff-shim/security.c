#include "security.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FAIL(...) do { snprintf(error, error_size, __VA_ARGS__); goto failed; } while (0)

// "allow", "errno:N", "kill", "log", "trap"
static int parse_action(const char *text, uint32_t *action) {
    if (!strcmp(text, "allow")) *action = SCMP_ACT_ALLOW;
    else if (!strcmp(text, "kill")) *action = SCMP_ACT_KILL_PROCESS;
    else if (!strcmp(text, "log")) *action = SCMP_ACT_LOG;
    else if (!strcmp(text, "trap")) *action = SCMP_ACT_TRAP;
    else if (!strncmp(text, "errno:", 6)) *action = SCMP_ACT_ERRNO((uint32_t)atoi(text + 6));
    else return -1;
    return 0;
}

// "INDEX:OP:VALUE", or "INDEX:&:MASK:VALUE" for (argument & MASK) == VALUE.
static int parse_comparison(char *text, struct scmp_arg_cmp *comparison) {
    char *saved = NULL;
    char *index = strtok_r(text, ":", &saved), *op = strtok_r(NULL, ":", &saved);
    char *first = strtok_r(NULL, ":", &saved), *second = strtok_r(NULL, ":", &saved);
    if (!index || !op || !first) return -1;
    comparison->arg = (unsigned)atoi(index);
    comparison->datum_a = strtoull(first, NULL, 0);
    comparison->datum_b = second ? strtoull(second, NULL, 0) : 0;
    if (!strcmp(op, "==")) comparison->op = SCMP_CMP_EQ;
    else if (!strcmp(op, "!=")) comparison->op = SCMP_CMP_NE;
    else if (!strcmp(op, "<")) comparison->op = SCMP_CMP_LT;
    else if (!strcmp(op, "<=")) comparison->op = SCMP_CMP_LE;
    else if (!strcmp(op, ">")) comparison->op = SCMP_CMP_GT;
    else if (!strcmp(op, ">=")) comparison->op = SCMP_CMP_GE;
    else if (!strcmp(op, "&") && second) comparison->op = SCMP_CMP_MASKED_EQ;
    else return -1;
    return comparison->arg > 5 ? -1 : 0;
}

// A rule: "ACTION SYSCALL [COMPARISON]…", space-separated.
static int add_rule(scmp_filter_ctx context, const char *rule, char *error, size_t error_size) {
    char copy[512];
    snprintf(copy, sizeof(copy), "%s", rule);
    char *saved = NULL;
    char *action_text = strtok_r(copy, " ", &saved), *name = strtok_r(NULL, " ", &saved);
    uint32_t action;
    if (!action_text || !name || parse_action(action_text, &action)) FAIL("bad seccomp rule: %s", rule);
    int number = seccomp_syscall_resolve_name(name);
    if (number == __NR_SCMP_ERROR) return 0;   // not a syscall on this kernel's architectures
    struct scmp_arg_cmp comparisons[6];
    unsigned count = 0;
    for (char *text = strtok_r(NULL, " ", &saved); text; text = strtok_r(NULL, " ", &saved)) {
        if (count == 6 || parse_comparison(text, &comparisons[count++])) FAIL("bad seccomp comparison in: %s", rule);
    }
    int result = seccomp_rule_add_array(context, action, number, count, comparisons);
    // libseccomp refuses a rule whose action equals the default action; that rule is moot.
    if (result == -EACCES || result == -EEXIST) return 0;
    if (result < 0) FAIL("seccomp rule %s: %s", rule, strerror(-result));
    return 0;
failed:
    return -1;
}

// Compiling a few hundred rules costs more than everything else in a start, so the
// BPF is kept in a file named (by the Swift side) after a hash of the rules.
static int load_cached(const char *path, struct seccomp_program *program) {
    if (!path) return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    off_t size = lseek(fd, 0, SEEK_END);
    int result = -1;
    if (size > 0 && size % (off_t)sizeof(struct sock_filter) == 0 && size / (off_t)sizeof(struct sock_filter) <= 65535) {
        program->filter = malloc((size_t)size);
        if (program->filter && pread(fd, program->filter, (size_t)size, 0) == size) {
            program->length = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
            result = 0;
        } else {
            free(program->filter);
            program->filter = NULL;
        }
    }
    close(fd);
    return result;
}

static void store_cached(const char *path, const struct seccomp_program *program) {
    if (!path) return;
    char temporary[4096];
    snprintf(temporary, sizeof(temporary), "%s.%d", path, getpid());
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return;
    size_t size = program->length * sizeof(struct sock_filter);
    bool written = write(fd, program->filter, size) == (ssize_t)size && fsync(fd) == 0;
    close(fd);
    if (!written || rename(temporary, path)) unlink(temporary);
}

int seccomp_build(const struct spec *spec, struct seccomp_program *program, char *error, size_t error_size) {
    program->filter = NULL;
    program->length = 0;
    if (!spec->seccomp_default || !strcmp(spec->seccomp_default, "unconfined")) return 0;
    if (load_cached(spec->seccomp_cache, program) == 0) return 0;
    uint32_t default_action;
    if (parse_action(spec->seccomp_default, &default_action)) {
        snprintf(error, error_size, "bad seccomp.default %s", spec->seccomp_default);
        return -1;
    }
    scmp_filter_ctx context = seccomp_init(default_action);
    int memory = -1;
    if (!context) FAIL("seccomp_init failed");
    for (size_t i = 0; i < spec->nseccomp_arch; i++) {
        uint32_t arch = seccomp_arch_resolve_name(spec->seccomp_arch[i]);
        if (!arch) FAIL("unknown seccomp architecture %s", spec->seccomp_arch[i]);
        int result = seccomp_arch_add(context, arch);
        if (result < 0 && result != -EEXIST) FAIL("seccomp architecture %s: %s", spec->seccomp_arch[i], strerror(-result));
    }
    for (size_t i = 0; i < spec->nseccomp_rules; i++)
        if (add_rule(context, spec->seccomp_rules[i], error, error_size)) goto failed;
    // libseccomp 2.5 exports BPF only to a descriptor; a memfd keeps it off the disk.
    memory = memfd_create("seccomp", MFD_CLOEXEC);
    if (memory < 0 || seccomp_export_bpf(context, memory)) FAIL("export the seccomp filter");
    off_t size = lseek(memory, 0, SEEK_END);
    if (size <= 0 || size % (off_t)sizeof(struct sock_filter) || size / (off_t)sizeof(struct sock_filter) > 65535)
        FAIL("seccomp filter has a bad size %lld", (long long)size);
    program->filter = malloc((size_t)size);
    if (pread(memory, program->filter, (size_t)size, 0) != size) FAIL("read the seccomp filter");
    program->length = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
    close(memory);
    seccomp_release(context);
    store_cached(spec->seccomp_cache, program);
    return 0;
failed:
    if (memory >= 0) close(memory);
    if (context) seccomp_release(context);
    return -1;
}

void security_apply_process_limits(const struct spec *spec) {
    for (size_t i = 0; i < spec->nrlimits; i++) {
        struct rlimit limit = { spec->rlimits[i].soft, spec->rlimits[i].hard };
        if (setrlimit(spec->rlimits[i].resource, &limit))
            child_fail(errno, "rlimit", "setrlimit %d", spec->rlimits[i].resource);
    }
    if (spec->oom_score_adj_given) {
        int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        char value[16];
        int length = snprintf(value, sizeof(value), "%d", spec->oom_score_adj);
        if (fd < 0 || write(fd, value, (size_t)length) != length) child_fail(errno, "oom_score_adj", "write %s", value);
        close(fd);
    }
}

static void load_filter(const struct seccomp_program *program) {
    if (!program->filter) return;
    struct sock_fprog prog = { .len = program->length, .filter = program->filter };
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0)) child_fail(errno, "seccomp", "load the filter");
}

static int last_capability(void) {
    int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
    char text[16] = {0};
    if (fd < 0 || read(fd, text, sizeof(text) - 1) <= 0) child_fail(errno, "capabilities", "read cap_last_cap");
    close(fd);
    return atoi(text);
}

static uint64_t kept_capabilities(const struct spec *spec) {
    uint64_t kept = 0;
    for (size_t i = 0; i < spec->ncaps; i++) kept |= 1ULL << spec->caps[i];
    return kept;
}

// Needs CAP_SETPCAP in the effective set, so it comes before the switch to the user.
static void drop_bounding_set(const struct spec *spec) {
    uint64_t kept = kept_capabilities(spec);
    int last = last_capability();
    for (int cap = 0; cap <= last; cap++)
        if (!(kept & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
            child_fail(errno, "capabilities", "drop %d from the bounding set", cap);
}

static void set_capabilities(const struct spec *spec) {
    uint64_t kept = kept_capabilities(spec);
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2] = {0};
    for (int word = 0; word < 2; word++) {
        uint32_t bits = (uint32_t)(kept >> (32 * word));
        data[word].effective = data[word].permitted = data[word].inheritable = bits;
    }
    if (syscall(SYS_capset, &header, data)) child_fail(errno, "capabilities", "capset");
}

static void set_identity(const struct spec *spec) {
    // Keep the permitted set across setuid so set_capabilities can choose what stays.
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)) child_fail(errno, "user", "keep capabilities");
    if (setgroups(spec->ngroups, spec->groups)) child_fail(errno, "user", "setgroups");
    if (setresgid(spec->gid, spec->gid, spec->gid)) child_fail(errno, "user", "setgid %u", spec->gid);
    if (setresuid(spec->uid, spec->uid, spec->uid)) child_fail(errno, "user", "setuid %u", spec->uid);
}

void security_apply_identity_and_filter(const struct spec *spec, const struct seccomp_program *program) {
    // Without no_new_privs the kernel takes a filter only from a task with CAP_SYS_ADMIN,
    // so then it goes on first (the profile allows the calls that follow), as runc does.
    if (!spec->no_new_privs) load_filter(program);
    if (spec->caps_given) drop_bounding_set(spec);
    set_identity(spec);
    if (spec->caps_given) set_capabilities(spec);
    if (spec->no_new_privs) {
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) child_fail(errno, "no_new_privs", "prctl");
        load_filter(program);
    }
}
