// What the container may do: seccomp (built in the monitor with libseccomp, loaded as
// BPF in the child), capabilities, no_new_privs, identity, rlimits, oom_score_adj.
#pragma once
#include "spec.h"
#include <linux/filter.h>

struct seccomp_program {
    struct sock_filter *filter;   // NULL: no filter (Unconfined)
    unsigned short length;
};

// Compiles the spec's seccomp rules. Returns -1 with a message on a bad rule.
int seccomp_build(const struct spec *spec, struct seccomp_program *program, char *error, size_t error_size);

// In the child: the steps before exec, in the order the kernel allows them.
void security_apply_process_limits(const struct spec *spec);   // rlimits, oom_score_adj
void security_apply_identity_and_filter(const struct spec *spec, const struct seccomp_program *program);
