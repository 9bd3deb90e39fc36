// The container spec skiff-shim reads from its spec descriptor.
//
// Wire format: a sequence of NUL-terminated "key=value" entries (values may hold any
// byte but NUL). Lists repeat their key. A `mount=TARGET` entry opens a mount; the
// `mount.*` entries after it belong to it. The Swift side (SkiffRuntime/Shim) decides
// policy (which capabilities, which syscalls, which paths to mask); the shim only
// carries it out, so everything a container gets is visible in its spec file.
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SPEC_MAX_LIST 512

struct spec_mount {
    const char *target;   // absolute path inside the container
    const char *source;
    const char *type;     // "bind" or a filesystem type
    const char *options;  // comma-separated: ro, rbind, nosuid, nodev, noexec, …
    const char *data;     // filesystem data (e.g. tmpfs size=…)
};

struct spec_rlimit {
    int resource;
    unsigned long long soft, hard;
};

struct spec_namespace {
    int flag;             // CLONE_NEW*
    const char *join;     // path of a namespace to join, or NULL to create one
};

struct spec {
    const char *mode;     // "run" or "exec"
    const char *args[SPEC_MAX_LIST + 1]; size_t nargs;   // + the NULL terminator
    const char *env[SPEC_MAX_LIST + 1]; size_t nenv;
    const char *cwd;
    uid_t uid; gid_t gid;
    gid_t groups[64]; size_t ngroups;
    const char *hostname;

    struct spec_namespace namespaces[8]; size_t nnamespaces;

    const char *cgroup_dir;                       // cgroup v2 directory (CLONE_INTO_CGROUP)
    const char *cgroup_procs[8]; size_t ncgroup_procs;  // cgroup.procs files to join
    const char *oom_counter;                      // memory.events or memory.oom_control

    const char *rootfs;                           // mount point of the root filesystem
    const char *rootfs_lower;                     // overlay lowerdir list (topmost first)
    const char *rootfs_upper, *rootfs_work;
    bool rootfs_readonly;

    struct spec_mount mounts[128]; size_t nmounts;
    const char *masked[64]; size_t nmasked;
    const char *readonly[64]; size_t nreadonly;

    int caps[64]; size_t ncaps;                   // the capability set kept (all sets)
    bool caps_given;
    struct spec_rlimit rlimits[16]; size_t nrlimits;
    bool oom_score_adj_given; int oom_score_adj;
    bool no_new_privs;

    const char *seccomp_default;                  // "allow", "errno:N", "kill"
    const char *seccomp_arch[4]; size_t nseccomp_arch;
    const char *seccomp_rules[SPEC_MAX_LIST]; size_t nseccomp_rules;
    const char *seccomp_cache;                    // compiled BPF for these rules, reused

    bool tty;
    bool stdin_open;                              // the container's stdin is fed by attach
    bool stdin_once;                              // closed when the first attach leaves
    const char *attach_socket;
    const char *log_path;
    unsigned long long log_max_size;
    unsigned log_max_files;
    const char *exit_path;
};

// Parses `size` bytes of spec. On failure returns -1 and writes a message to `error`.
int spec_parse(char *bytes, size_t size, struct spec *spec, char *error, size_t error_size);

// Reads the whole descriptor into a heap buffer the spec points into.
int spec_read_fd(int fd, char **bytes, size_t *size);
