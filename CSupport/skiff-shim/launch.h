// Starting the container's process: clone3 into its namespaces and cgroup, the child's
// setup up to exec, and the handshake that tells the parent whether exec happened.
#pragma once
#include "report.h"
#include "security.h"
#include "spec.h"

struct launch_stdio {
    int in, out, err;     // descriptors the child gets as 0, 1, 2
    bool controlling_tty; // make `in` the child's controlling terminal
};

// Clones the child, joins it to the spec's cgroups, lets it run and waits until it has
// exec'd. Returns its pid, or -1 with `error` filled when any step failed (the child
// is then reaped). With `new_root`, the child builds and pivots into the rootfs.
pid_t launch(const struct spec *spec, const struct seccomp_program *program,
             const struct launch_stdio *stdio, bool new_root, struct child_error *error);
